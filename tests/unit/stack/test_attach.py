"""`orderflow stack attach` waits for a stack somebody else runs, then prepares it.

The waiting is tested on a fake clock and fake probes: no time passes, and a
part answers exactly when the test says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from orderflow.cli import main
from orderflow.settings import Settings
from orderflow.stack import attached
from orderflow.stack.attached import await_answers
from orderflow.stack.components import CONNECT, KAFKA, POSTGRES, REGISTRY, Component
from orderflow.stack.errors import StackError
from orderflow.stack.launcher import Launcher
from orderflow.stack.ports import free_ports

PARTS = (POSTGRES, KAFKA, CONNECT, REGISTRY)


@dataclass
class FakeClock:
    now: float
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float, /) -> None:
        self.slept.append(seconds)
        self.now += seconds


START = 1000.0


@dataclass
class Scene:
    """Each part answers from its time on (seconds after the start); one absent never does."""

    after_s: dict[str, float]
    timeout_s: float = 180.0
    clock: FakeClock = field(default_factory=lambda: FakeClock(START))
    asked: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)

    def answering(self, component: Component) -> bool:
        self.asked.append(component.name)
        at = self.after_s.get(component.name)
        return at is not None and self.clock.now - START >= at

    def wait(self) -> Scene:
        await_answers(
            PARTS,
            Settings(startup_timeout_s=self.timeout_s),
            waiting=self.waiting.append,
            answered=self.answered.append,
            answering=self.answering,
            clock=self.clock,
        )
        return self


def test_parts_that_answer_at_once_are_a_line_each_and_no_wait() -> None:
    scene = Scene({p.name: 0.0 for p in PARTS}).wait()

    assert scene.clock.slept == []
    assert scene.asked == ["postgres", "kafka", "connect", "registry"]
    assert scene.answered == [
        "postgres answers on port 15432 (0.0 s)",
        "kafka answers on port 9092 (0.0 s)",
        "connect answers on port 8083 (0.0 s)",
        "registry answers on port 8081 (0.0 s)",
    ]
    assert scene.waiting[1] == "Waiting for kafka on port 9092"


def test_a_part_that_answers_late_is_asked_again_until_it_does() -> None:
    scene = Scene({"postgres": 0, "kafka": 3.0, "connect": 3.0, "registry": 0}).wait()

    assert sum(scene.clock.slept) == pytest.approx(3.0)
    assert max(scene.clock.slept) <= 0.5
    assert scene.asked.count("kafka") == len(scene.clock.slept) + 1
    assert scene.asked.count("connect") == 1  # it had answered meanwhile
    assert scene.answered[1:3] == [
        "kafka answers on port 9092 (3.0 s)",
        "connect answers on port 8083 (3.0 s)",
    ]


def test_one_that_never_answers_is_named_at_the_deadline_and_the_rest_not_asked() -> None:
    scene = Scene({"postgres": 0, "kafka": 1.0, "registry": 0}, timeout_s=30)

    with pytest.raises(StackError) as failed:
        scene.wait()

    assert failed.value.component == "connect"
    assert "no answer on 127.0.0.1:8083 within 30 s" in str(failed.value)
    assert scene.clock.now - START == pytest.approx(30.0)  # the deadline, no sleep past it
    assert "registry" not in scene.asked
    assert [line.split()[0] for line in scene.answered] == ["postgres", "kafka"]


def test_the_deadline_is_one_for_them_all() -> None:
    """Compose starts them side by side: Kafka had the time Postgres took, too."""
    scene = Scene({"postgres": 6.0, "kafka": 12.0, "connect": 0, "registry": 0}, timeout_s=10)

    with pytest.raises(StackError) as failed:
        scene.wait()

    assert failed.value.component == "kafka"
    assert scene.clock.now - START == pytest.approx(10.0)


def test_the_registry_is_asked_what_confluent_s_answers_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def answers_ok(url: str, auth: object = None, verify: object = True) -> bool:
        asked.append(url)
        return True

    monkeypatch.setattr(attached, "answers_ok", answers_ok)

    assert attached.answers(REGISTRY, Settings(registry_port=18081))
    assert asked == ["http://127.0.0.1:18081/subjects"]


def test_attach_waits_for_all_four_before_it_migrates_and_registers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    happened: list[str] = []

    def answers(component: Component, _settings: Settings) -> bool:
        happened.append(f"asked {component.name}")
        return True

    monkeypatch.setattr(attached, "answers", answers)
    monkeypatch.setattr(Launcher, "_migrate", lambda _self: happened.append("migrated"))
    monkeypatch.setattr(
        Launcher, "_register_outbox_connector", lambda _self: happened.append("registered")
    )

    Launcher(Settings(state_dir=tmp_path)).attach(announce=happened.append)

    # Each line without its time, which the real clock measures here.
    assert [line.split(" (")[0] for line in happened] == [
        "asked postgres",
        "postgres answers on port 15432",
        "asked kafka",
        "kafka answers on port 9092",
        "asked connect",
        "connect answers on port 8083",
        "asked registry",
        "registry answers on port 8081",
        "migrated",
        "registered",
    ]


def test_a_stack_that_is_not_there_ends_attach_with_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real probe, on a port nobody listens on; no time to wait, so no waiting."""
    (nobody,) = free_ports(1)
    monkeypatch.setenv("ORDERFLOW_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("ORDERFLOW_POSTGRES_PORT", str(nobody))
    monkeypatch.setenv("ORDERFLOW_STARTUP_TIMEOUT_S", "0")
    monkeypatch.setattr("sys.argv", ["orderflow", "stack", "attach"])

    with pytest.raises(SystemExit) as exited:
        main()

    assert exited.value.code == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: postgres: no answer on 127.0.0.1:{nobody} within 0 s")
