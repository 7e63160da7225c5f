"""Parts of the stack that somebody else runs: docker-compose.yml, or a service
run by hand in its own terminal.

`orderflow stack attach` waits for them to answer before it migrates and
registers the connector; `status` shows a part that answers on its port with
no pid file of ours as external.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from orderflow.access import registry_access
from orderflow.settings import Settings
from orderflow.stack.components import REGISTRY, Component
from orderflow.stack.errors import StackError
from orderflow.stack.probes import answers_ok


class Clock(Protocol):
    """What waiting needs of time; the ``time`` module is one, a test's fake another."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float, /) -> None: ...


def answers(component: Component, settings: Settings) -> bool:
    """Whether the component's port answers as that component does.

    The registry is asked for ``/subjects``, the Confluent REST API that ours and
    Confluent's both serve: its readiness (``/readyz``) is ours alone, and
    docker-compose.yml runs Confluent's.
    """
    if component is REGISTRY:
        access = registry_access(settings)
        return answers_ok(f"{access.url}/subjects", access.auth, access.verify)
    return component.healthy(settings)


def await_answers(
    components: Sequence[Component],
    settings: Settings,
    *,
    waiting: Callable[[str], None],
    answered: Callable[[str], None],
    answering: Callable[[Component], bool] | None = None,
    clock: Clock = time,
    interval_s: float = 0.5,
) -> None:
    """Wait until each component answers, in order, all within one deadline.

    ``waiting`` hears which one is waited for, ``answered`` one line per component
    once it answers. The deadline is ``startup_timeout_s`` for them all, as `up`
    has: compose starts them side by side, so the time the first takes is time
    the others had too. A component still silent at the deadline raises
    StackError naming it; the ones after it are not asked.
    """
    probe = answering or (lambda component: answers(component, settings))
    timeout_s = settings.startup_timeout_s
    started = clock.monotonic()
    deadline = started + timeout_s
    for component in components:
        port = component.port(settings)
        waiting(f"Waiting for {component.name} on port {port}")
        while not probe(component):
            left = deadline - clock.monotonic()
            if left <= 0:
                raise StackError(
                    component.name,
                    f"no answer on {settings.host}:{port} within {timeout_s:.0f} s; is it "
                    "running? (docker compose ps; ORDERFLOW_STARTUP_TIMEOUT_S waits longer)",
                )
            clock.sleep(min(interval_s, left))
        answered(f"{component.name} answers on port {port} ({clock.monotonic() - started:.1f} s)")
