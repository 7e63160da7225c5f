"""No SQL is built by formatting values into a string: values go as parameters, names as
psycopg.sql.Identifier. A guard for code to come; the hostile-input tests check the
running system (tests/integration/order/test_http_fuzz.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import orderflow

SOURCES = sorted(Path(orderflow.__file__).parent.rglob("*.py"))
_EXECUTE = {"execute", "executemany", "copy", "stream"}


def _formatted(node: ast.expr) -> bool:
    """An f-string, a ``%`` or a ``.format()``: text with values pasted in."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Mod) or _formatted(node.left) or _formatted(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "format" and not _is_psycopg_sql(node.func.value):
            return True
        if node.func.attr == "encode":
            return _formatted(node.func.value)
    return False


def _is_psycopg_sql(node: ast.expr) -> bool:
    # sql.SQL("... {} ...").format(sql.Identifier(...)) is how names are composed safely.
    return isinstance(node, ast.Call) and ast.unparse(node.func).endswith("SQL")


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _EXECUTE
            and node.args
            and _formatted(node.args[0])
        ):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node.args[0])[:80]}")
    return found


def test_the_guard_sees_what_it_guards_against(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        'cur.execute(f"SELECT * FROM t WHERE id = {x}")\n'
        'cur.execute("SELECT %s" % x)\n'
        'cur.execute("SELECT {}".format(x))\n'
        "cur.execute(f\"DELETE FROM t WHERE u = '{u}'\".encode())\n"
        'cur.execute(sql.SQL("SELECT 1 FROM {}").format(sql.Identifier(t)))\n'
        'cur.execute("SELECT 1 FROM t WHERE id = %s", (x,))\n'
    )
    assert len(_offences(bad)) == 4


def test_no_sql_is_formatted_with_values() -> None:
    assert len(SOURCES) > 100
    assert [offence for path in SOURCES for offence in _offences(path)] == []
