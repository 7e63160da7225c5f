"""How a client reaches Kafka and the schema registry: where, over what, as whom.

Every Kafka client of ours (the services' producers and consumers, the
tools, the registry's log, the launcher's probes) is built from
``KafkaAccess.config``, and every registry client from ``RegistryAccess``,
so that one set of settings (a bootstrap list, TLS, SASL, basic auth)
applies to all of them and none is left talking PLAINTEXT to a secured
cluster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from orderflow.settings import Settings

# Errors reach us as exceptions and timeouts; librdkafka's own log lines would
# only repeat them, several times a second, on a terminal or in a log.
QUIET: dict[str, Any] = {"log_level": 0}


@dataclass(frozen=True)
class KafkaAccess:
    bootstrap: str
    """The brokers, ``host:port[,host:port…]``; what an error message names."""
    security: Mapping[str, str] = field(default_factory=dict)
    """librdkafka's security.protocol, ssl.* and sasl.* keys."""

    def config(self, *more: Mapping[str, Any]) -> dict[str, Any]:
        """A librdkafka client config: these brokers and credentials, then ``more``."""
        found: dict[str, Any] = {"bootstrap.servers": self.bootstrap, **self.security}
        for extra in more:
            found.update(extra)
        return found

    def at(self, bootstrap: str) -> KafkaAccess:
        """The same credentials, other brokers (a tool's ``-b``)."""
        return replace(self, bootstrap=bootstrap)


def kafka_access(settings: Settings) -> KafkaAccess:
    return KafkaAccess(settings.kafka_bootstrap, kafka_security(settings))


def kafka_security(settings: Settings) -> dict[str, str]:
    """The settings' security in librdkafka's keys (empty for PLAINTEXT, its default)."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return {}
    found: dict[str, str] = {"security.protocol": settings.kafka_security_protocol}
    if settings.kafka_ca_file is not None:
        found["ssl.ca.location"] = str(settings.kafka_ca_file)
    if settings.kafka_security_protocol == "SASL_SSL":
        # The settings' validator makes sure both are there for SASL_SSL.
        assert settings.kafka_sasl_username
        assert settings.kafka_sasl_password
        found["sasl.mechanism"] = settings.kafka_sasl_mechanism
        found["sasl.username"] = settings.kafka_sasl_username
        found["sasl.password"] = settings.kafka_sasl_password.get_secret_value()
    return found


@dataclass(frozen=True)
class RegistryAccess:
    url: str
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None

    def client_config(self, *more: Mapping[str, Any]) -> dict[str, Any]:
        """A confluent-kafka SchemaRegistryClient config."""
        found: dict[str, Any] = {"url": self.url}
        if self.username is not None and self.password is not None:
            found["basic.auth.user.info"] = f"{self.username}:{self.password}"
        if self.ca_file is not None:
            found["ssl.ca.location"] = self.ca_file
        for extra in more:
            found.update(extra)
        return found

    def at(self, url: str) -> RegistryAccess:
        """The same credentials, another registry (an example's ``--registry``)."""
        return replace(self, url=url)

    @property
    def auth(self) -> tuple[str, str] | None:
        """For an httpx client: basic auth, or None."""
        if self.username is None or self.password is None:
            return None
        return (self.username, self.password)

    @property
    def verify(self) -> str | bool:
        """For an httpx client: the CA to check the registry's certificate with."""
        return self.ca_file if self.ca_file is not None else True


def registry_access(settings: Settings) -> RegistryAccess:
    password = settings.registry_password
    ca_file = settings.registry_ssl_ca_file
    return RegistryAccess(
        settings.registry_url,
        settings.registry_username,
        password.get_secret_value() if password is not None else None,
        str(ca_file) if ca_file is not None else None,
    )
