from __future__ import annotations

import logging

import pytest

from orderflow.listening import is_loopback, warn_unless_loopback
from orderflow.settings import Settings


def test_the_default_host_is_loopback() -> None:
    assert is_loopback(Settings().host)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses_are_quiet(host: str, caplog: pytest.LogCaptureFixture) -> None:
    assert not warn_unless_loopback(logging.getLogger("t"), "the API", host, 8080)
    assert caplog.records == []


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "orders.example.com"])
def test_any_other_address_is_a_warning_naming_it(
    host: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert warn_unless_loopback(logging.getLogger("t"), "the API", host, 8080)
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert f"the API listens on {host}:8080, not on loopback" in record.getMessage()
