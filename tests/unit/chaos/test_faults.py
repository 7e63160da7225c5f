"""The fault plan, decided up front from the seed, and the kinds as the CLI reads them."""

from __future__ import annotations

import pytest

from orderflow.chaos.faults import (
    ALL_KINDS,
    OVERLAP_AFTER_S,
    Fault,
    Hit,
    How,
    Kind,
    PlannedFault,
    parse_kinds,
    plan_faults,
)

COMPONENTS = ("postgres", "kafka", "connect", "order", "inventory", "shipping", "payment")


def components_hit(plan: list[PlannedFault]) -> list[str]:
    return [hit.component for fault in plan for hit in fault.hits]


def test_the_plan_has_as_many_faults_as_asked() -> None:
    for count in (0, 1, 5, 60):
        assert len(plan_faults(ALL_KINDS, COMPONENTS, count, seed=3)) == count


def test_one_seed_gives_one_plan_and_another_seed_another() -> None:
    first = plan_faults(ALL_KINDS, COMPONENTS, 20, seed=7)
    assert plan_faults(ALL_KINDS, COMPONENTS, 20, seed=7) == first
    assert plan_faults(ALL_KINDS, COMPONENTS, 20, seed=8) != first


def test_each_round_of_kinds_holds_every_kind_once_in_a_random_order() -> None:
    plan = plan_faults(ALL_KINDS, COMPONENTS, 10 * len(ALL_KINDS), seed=1)
    kinds = [fault.kind for fault in plan]
    rounds = [kinds[i : i + len(ALL_KINDS)] for i in range(0, len(kinds), len(ALL_KINDS))]
    assert all(sorted(r) == sorted(ALL_KINDS) for r in rounds)
    assert len({tuple(r) for r in rounds}) > 1  # not the same order every round


def test_a_partial_last_round_repeats_no_kind() -> None:
    plan = plan_faults(ALL_KINDS, COMPONENTS, len(ALL_KINDS) + 3, seed=5)
    last = [fault.kind for fault in plan[len(ALL_KINDS) :]]
    assert len(set(last)) == 3


def test_only_the_kinds_chosen_are_planned() -> None:
    plan = plan_faults((Kind.FREEZE,), COMPONENTS, 12, seed=2)
    assert {fault.kind for fault in plan} == {Kind.FREEZE}


@pytest.mark.parametrize("kinds", [(Kind.KILL,), (Kind.FREEZE,), (Kind.KILL, Kind.FREEZE)])
def test_every_component_is_hit_once_before_any_is_hit_twice(kinds: tuple[Kind, ...]) -> None:
    plan = plan_faults(kinds, COMPONENTS, 5 * len(COMPONENTS), seed=11)
    hit = components_hit(plan)
    decks = [hit[i : i + len(COMPONENTS)] for i in range(0, len(hit), len(COMPONENTS))]
    assert all(sorted(deck) == sorted(COMPONENTS) for deck in decks)
    assert len({tuple(deck) for deck in decks}) > 1  # each deck shuffled afresh


@pytest.mark.parametrize("seed", range(20))
def test_overlaps_deal_from_the_deck_too(seed: int) -> None:
    # An overlap's two hits may straddle two decks; neither deck may lose a card.
    plan = plan_faults((Kind.OVERLAP, Kind.KILL, Kind.ALL_DOWN), COMPONENTS, 30, seed=seed)
    hit = components_hit(plan)
    whole = len(hit) - len(hit) % len(COMPONENTS)
    decks = [hit[i : i + len(COMPONENTS)] for i in range(0, whole, len(COMPONENTS))]
    assert all(sorted(deck) == sorted(COMPONENTS) for deck in decks)
    assert all(len({h.component for h in f.hits}) == len(f.hits) for f in plan)


def test_a_kill_hits_one_component_and_holds_it_for_nothing() -> None:
    plan = plan_faults((Kind.KILL,), COMPONENTS, 10, seed=4)
    assert all(len(fault.hits) == 1 for fault in plan)
    assert {hit.how for fault in plan for hit in fault.hits} == {How.KILL}
    assert all(hit.held_s == 0.0 and hit.after_s == 0.0 for fault in plan for hit in fault.hits)


def test_a_freeze_is_held_within_the_bounds_given() -> None:
    plan = plan_faults((Kind.FREEZE,), COMPONENTS, 50, seed=6, freeze_s=(2.0, 4.0))
    held = [hit.held_s for fault in plan for hit in fault.hits]
    assert {hit.how for fault in plan for hit in fault.hits} == {How.FREEZE}
    assert all(2.0 <= h <= 4.0 for h in held)
    assert len(set(held)) > 1  # drawn, not fixed


def test_an_overlap_hits_two_components_the_second_a_moment_after_the_first() -> None:
    plan = plan_faults((Kind.OVERLAP,), COMPONENTS, 40, seed=9, freeze_s=(1.0, 30.0))
    for fault in plan:
        first, second = fault.hits
        assert first.component != second.component
        assert first.after_s == 0.0
        assert 0.0 <= second.after_s <= OVERLAP_AFTER_S
        for hit in fault.hits:
            assert (hit.how is How.FREEZE and 1.0 <= hit.held_s <= 30.0) or (
                hit.how is How.KILL and hit.held_s == 0.0
            )
    hows = {hit.how for fault in plan for hit in fault.hits}
    assert hows == {How.KILL, How.FREEZE}  # each part killed or frozen, both drawn
    assert len({fault.hits[1].after_s for fault in plan}) > 1


def test_an_overlap_of_a_single_component_falls_back_to_one_hit() -> None:
    plan = plan_faults((Kind.OVERLAP,), ("kafka",), 5, seed=0)
    assert all(fault.kind is Kind.OVERLAP for fault in plan)
    assert all([hit.component for hit in fault.hits] == ["kafka"] for fault in plan)
    assert {fault.hits[0].how for fault in plan} == {How.KILL}


def test_all_down_names_no_component() -> None:
    plan = plan_faults((Kind.ALL_DOWN,), COMPONENTS, 3, seed=0)
    assert [fault.hits for fault in plan] == [(), (), ()]


def test_a_plan_needs_a_kind_and_a_component() -> None:
    with pytest.raises(ValueError, match="no fault kind"):
        plan_faults((), COMPONENTS, 3, seed=0)
    with pytest.raises(ValueError, match="no component"):
        plan_faults(ALL_KINDS, (), 3, seed=0)


def test_kinds_are_read_in_order_without_repeats_or_blanks() -> None:
    assert parse_kinds("freeze,kill") == (Kind.FREEZE, Kind.KILL)
    assert parse_kinds(" overlap , ,kill,overlap,, all-down ") == (
        Kind.OVERLAP,
        Kind.KILL,
        Kind.ALL_DOWN,
    )


def test_an_unknown_kind_is_named_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown fault kind") as raised:
        parse_kinds("kill,reboot")
    message = str(raised.value)
    assert "'reboot'" in message
    assert "kill, freeze, overlap, all-down" in message


@pytest.mark.parametrize("text", ["", " ", ", ,"])
def test_no_kind_at_all_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="no fault kind given"):
        parse_kinds(text)


def test_a_label_names_what_each_hit_does_and_everything_for_all_down() -> None:
    overlap = PlannedFault(
        Kind.OVERLAP,
        (Hit("kafka", How.KILL), Hit("postgres", How.FREEZE, held_s=12.4, after_s=1.5)),
    )
    assert overlap.label == "kill kafka + freeze postgres 12 s"
    assert PlannedFault(Kind.KILL, (Hit("order", How.KILL),)).label == "kill order"
    assert PlannedFault(Kind.ALL_DOWN, ()).label == "everything"


def test_back_s_is_the_time_from_the_start_to_the_comeback() -> None:
    planned = PlannedFault(Kind.KILL, (Hit("order", How.KILL),))
    assert Fault(planned, started_at=100.0, back_at=112.5, recovery_s=3.0).back_s == 12.5
    assert Fault(planned, 100.0, None, None, "still down").back_s is None
