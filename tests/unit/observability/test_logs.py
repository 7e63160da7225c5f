"""configure_logging: JSON lines and their fields, the order context, text as before."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from orderflow.observability.logs import about_order, configure_logging, order_id, trace_id
from orderflow.settings import SettingsError, load_settings

log = logging.getLogger("orderflow.test")


@pytest.fixture(autouse=True)
def _root_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    chatty = {name: logging.getLogger(name).level for name in ("httpx", "httpx2")}
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    for name, chatty_level in chatty.items():
        logging.getLogger(name).setLevel(chatty_level)


def json_lines(service: str = "order") -> io.StringIO:
    stream = io.StringIO()
    configure_logging(service, "json", stream=stream)
    return stream


def parsed(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_json_line_holds_the_fields() -> None:
    stream = json_lines("inventory")

    log.info("reserved %d items", 2)

    (line,) = parsed(stream)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line.pop("ts"))
    assert line == {
        "level": "INFO",
        "logger": "orderflow.test",
        "message": "reserved 2 items",
        "service": "inventory",
    }


def test_the_ids_come_from_the_context_and_are_restored_after() -> None:
    stream = json_lines()

    with about_order("o-1", "t-1"):
        log.info("outer")
        with about_order("o-2"):
            log.info("inner")
        log.info("outer again")
    log.info("after")

    ids = [(line.get("order_id"), line.get("trace_id")) for line in parsed(stream)]
    assert ids == [("o-1", "t-1"), ("o-2", None), ("o-1", "t-1"), (None, None)]
    assert (order_id.get(), trace_id.get()) == (None, None)


def test_a_records_own_ids_win_over_the_context() -> None:
    stream = json_lines()

    with about_order("from-context", "trace-from-context"):
        log.info("placed", extra={"order_id": "from-extra"})

    (line,) = parsed(stream)
    assert (line["order_id"], line["trace_id"]) == ("from-extra", "trace-from-context")


def test_extras_that_json_can_hold_are_fields_the_others_are_left_out() -> None:
    stream = json_lines()

    log.info(
        "declined",
        extra={"amount_cents": 2050, "items": ["item1"], "opaque": object(), "nan": float("nan")},
    )

    (line,) = parsed(stream)
    assert line["amount_cents"] == 2050
    assert line["items"] == ["item1"]
    assert "opaque" not in line
    assert "nan" not in line
    assert line["message"] == "declined"


def test_uvicorns_coloured_copy_of_the_message_is_not_a_field() -> None:
    stream = json_lines()

    log.info("Started server", extra={"color_message": "\x1b[1mStarted server\x1b[0m"})

    (line,) = parsed(stream)
    assert "color_message" not in line


def test_an_exception_is_the_exc_field() -> None:
    stream = json_lines()

    try:
        raise RuntimeError("broker gone")
    except RuntimeError:
        log.exception("batch failed")

    (line,) = parsed(stream)
    assert line["level"] == "ERROR"
    assert line["message"] == "batch failed"
    assert line["exc"].startswith("Traceback (most recent call last):")
    assert line["exc"].endswith("RuntimeError: broker gone")


def test_text_is_as_before() -> None:
    stream = io.StringIO()
    configure_logging("order", "text", stream=stream)

    with about_order("o-1"):
        log.warning("slow batch")

    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} orderflow.test WARNING slow batch\n",
        stream.getvalue(),
    )


def test_configuring_again_replaces_its_handler_and_leaves_the_others() -> None:
    root = logging.getLogger()
    other = logging.NullHandler()
    root.addHandler(other)
    first, second = io.StringIO(), io.StringIO()

    configure_logging("order", "text", stream=first)
    configure_logging("order", "json", stream=second)
    log.info("once")

    assert first.getvalue() == ""
    assert [line["message"] for line in parsed(second)] == ["once"]
    assert other in root.handlers
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("httpx2").level == logging.WARNING


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="xml"):
        configure_logging("order", "xml")


def test_a_bad_log_format_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERFLOW_LOG_FORMAT", "bogus")

    with pytest.raises(SettingsError, match="ORDERFLOW_LOG_FORMAT"):
        load_settings()


def test_the_log_format_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORDERFLOW_LOG_FORMAT", raising=False)
    assert load_settings().log_format == "text"
    monkeypatch.setenv("ORDERFLOW_LOG_FORMAT", "json")
    assert load_settings().log_format == "json"
