"""The faults a chaos run injects, and the plan of them, decided up front from the seed.

Four kinds, as an operator meets them:

- ``kill``: SIGKILL of one component's whole process tree, as a crash of its
  machine would be; the supervisor brings it back on the state it left.
- ``freeze``: SIGSTOP of one component's processes for 1 to 30 s, then SIGCONT,
  as a long GC pause, a hung disk or a VM stalled by its host would be.
- ``overlap``: two components at once, each killed or frozen, the second a
  moment after the first, so that their outages overlap.
- ``all-down``: every process killed at the same moment, the supervisor too,
  then `orderflow up` again, as after a power cut.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    KILL = "kill"
    FREEZE = "freeze"
    OVERLAP = "overlap"
    ALL_DOWN = "all-down"


class How(StrEnum):
    KILL = "kill"
    FREEZE = "freeze"


@dataclass(frozen=True)
class Hit:
    """One component's part in a fault: killed or frozen, ``after_s`` into the fault,
    frozen for ``held_s``."""

    component: str
    how: How
    held_s: float = 0.0
    after_s: float = 0.0


@dataclass(frozen=True)
class PlannedFault:
    kind: Kind
    hits: tuple[Hit, ...]  # empty for all-down: everything goes

    @property
    def label(self) -> str:
        if self.kind is Kind.ALL_DOWN:
            return "everything"
        return " + ".join(
            f"{hit.how} {hit.component}" + (f" {hit.held_s:.0f} s" if hit.held_s else "")
            for hit in self.hits
        )


@dataclass(frozen=True)
class Fault:
    """One fault as it happened: when it began (wall clock), when every part it hit
    was running and healthy again, how long orders took to flow at the offered
    rate after that, and the longest time in between that no order completed."""

    planned: PlannedFault
    started_at: float
    back_at: float | None
    recovery_s: float | None
    error: str | None = None
    gap_s: float | None = None
    """From the fault to its recovery (or the end of the wait for it)."""

    @property
    def back_s(self) -> float | None:
        return None if self.back_at is None else self.back_at - self.started_at


ALL_KINDS: tuple[Kind, ...] = tuple(Kind)
FREEZE_S = (1.0, 30.0)
# The second component of an overlap is hit this long after the first, at most.
OVERLAP_AFTER_S = 3.0


def plan_faults(
    kinds: Sequence[Kind],
    components: Sequence[str],
    count: int,
    seed: int,
    freeze_s: tuple[float, float] = FREEZE_S,
) -> list[PlannedFault]:
    """``count`` faults: the kinds in turn, each round in a random order; the components
    dealt from a deck, so that every one is hit before any is hit twice."""
    if not kinds:
        raise ValueError("no fault kind chosen")
    if not components:
        raise ValueError("no component to fault")
    rng = random.Random(seed)
    kind_deck: list[Kind] = []
    component_deck: list[str] = []

    def deal() -> str:
        if not component_deck:
            component_deck.extend(rng.sample(list(components), len(components)))
        return component_deck.pop()

    def hit(component: str, how: How, after_s: float = 0.0) -> Hit:
        held = round(rng.uniform(*freeze_s), 1) if how is How.FREEZE else 0.0
        return Hit(component, how, held, after_s)

    planned = []
    for _ in range(count):
        if not kind_deck:
            kind_deck.extend(rng.sample(list(kinds), len(kinds)))
        kind = kind_deck.pop()
        if kind is Kind.ALL_DOWN:
            planned.append(PlannedFault(kind, ()))
        elif kind is Kind.OVERLAP and len(components) > 1:
            first = deal()
            second = deal()
            if second == first:  # the first card of a new deck: back under it, deal again
                component_deck.insert(0, second)
                second = deal()
            hows = [rng.choice(list(How)) for _ in range(2)]
            after = round(rng.uniform(0.0, OVERLAP_AFTER_S), 1)
            planned.append(PlannedFault(kind, (hit(first, hows[0]), hit(second, hows[1], after))))
        else:
            how = How.FREEZE if kind is Kind.FREEZE else How.KILL
            planned.append(PlannedFault(kind, (hit(deal(), how),)))
    return planned


def parse_kinds(text: str) -> tuple[Kind, ...]:
    """``kill,freeze`` as kinds; a ValueError naming the unknown one and the known ones."""
    chosen = []
    for part in (word.strip() for word in text.split(",")):
        if not part:
            continue
        try:
            chosen.append(Kind(part))
        except ValueError:
            known = ", ".join(kind.value for kind in Kind)
            raise ValueError(f"unknown fault kind {part!r}; one of {known}") from None
    if not chosen:
        raise ValueError("no fault kind given")
    return tuple(dict.fromkeys(chosen))
