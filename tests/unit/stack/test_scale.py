"""`--scale`: instances per service, their names and ports, kept in the state folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from orderflow.settings import Settings
from orderflow.stack.components import SERVICES, component_named, everything, service_instances
from orderflow.stack.scale import (
    PORT_STEP,
    instance_name,
    instance_port,
    parse_scale,
    read_scale,
    write_scale,
)

NAMES = ("order", "inventory", "shipping", "payment")


def test_each_entry_is_a_service_and_its_count() -> None:
    assert parse_scale(["inventory=3", "payment=2"], NAMES) == {"inventory": 3, "payment": 2}


def test_a_service_named_twice_keeps_the_last_count() -> None:
    assert parse_scale(["inventory=3", "inventory=2"], NAMES) == {"inventory": 2}


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("inventory", "inventory: write it as SERVICE=COUNT, such as inventory=2"),
        ("stock=2", "stock=2: no service 'stock'; one of order, inventory, shipping, payment"),
        ("inventory=two", "inventory=two: 'two' is not a whole number"),
        ("inventory=0", "inventory=0: from 1 to 9 instances"),
        ("inventory=10", "inventory=10: from 1 to 9 instances"),
    ],
)
def test_a_bad_entry_is_refused_naming_it(entry: str, reason: str) -> None:
    with pytest.raises(ValueError, match="^" + reason.replace("(", r"\(")):
        parse_scale([entry], NAMES)


def test_the_order_service_scales_too() -> None:
    assert parse_scale(["order=2"], NAMES) == {"order": 2}


def test_the_first_instance_keeps_the_service_s_name_and_port() -> None:
    assert instance_name("inventory", 1) == "inventory"
    assert instance_port(8091, 1) == 8091


def test_each_further_instance_is_numbered_one_port_step_up() -> None:
    assert [instance_name("inventory", n) for n in (2, 3)] == ["inventory-2", "inventory-3"]
    assert [instance_port(8091, n) for n in (2, 3)] == [8091 + PORT_STEP, 8091 + 2 * PORT_STEP]


def test_the_default_ports_of_every_instance_at_the_most_collide_with_nothing() -> None:
    settings = Settings()
    scale = {"inventory": 9, "shipping": 9, "payment": 9}
    ports = [c.port(settings) for c in everything(scale)]
    taken = [p for p in ports if p is not None]
    others = [settings.kafka_controller_port, settings.kafka_metrics_port]
    others += [settings.connect_metrics_port]
    assert len(set(taken + others)) == len(taken + others)


def test_one_of_each_is_the_services_as_always() -> None:
    assert [c.name for c in service_instances({})] == [c.name for c in SERVICES]


def test_the_instances_of_a_service_come_together_and_know_their_service() -> None:
    instances = service_instances({"shipping": 2, "inventory": 3})
    names = [c.name for c in instances]
    settings = Settings()

    assert names.index("inventory-3") + 1 == names.index("shipping")
    assert {c.service for c in instances if c.name.startswith("inventory")} == {"inventory"}
    assert component_named("shipping-2", {"shipping": 2}).port(settings) == (
        settings.shipping_port + PORT_STEP
    )
    assert component_named("shipping-2", {"shipping": 2}).job == "shipping"


def test_a_replica_beyond_the_scale_is_unknown() -> None:
    with pytest.raises(ValueError, match="unknown component 'shipping-2'"):
        component_named("shipping-2")


def test_the_scale_is_kept_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "run" / "scale.json"
    write_scale(path, {"inventory": 3, "payment": 1})

    assert read_scale(path) == {"inventory": 3}


@pytest.mark.parametrize("text", [None, "not json", "[1, 2]", '{"inventory": "x"}'])
def test_no_kept_scale_or_an_unreadable_one_is_one_of_each(
    tmp_path: Path, text: str | None
) -> None:
    path = tmp_path / "scale.json"
    if text is not None:
        path.write_text(text)

    assert read_scale(path) == {}
