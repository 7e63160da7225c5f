"""The local Kafka on SASL_SSL (SCRAM-SHA-512 over TLS with the stack's own CA):
a client with the settings' credentials gets through, anyone else does not.

Only the broker runs, on free ports in a state folder of its own.
"""

from __future__ import annotations

import shutil
import stat
import time
import uuid
from collections.abc import Iterator

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient
from pydantic import SecretStr

from orderflow.access import QUIET, kafka_access
from orderflow.messaging import dependencies
from orderflow.messaging.dependencies import DependencyRefused
from orderflow.settings import Settings
from orderflow.stack import kafka, tls
from orderflow.stack.components import KAFKA
from orderflow.stack.isolated import isolated_settings, open_state_dir
from orderflow.stack.launcher import Launcher
from orderflow.stack.processes import stop
from orderflow.stack.waiting import wait_until

pytestmark = pytest.mark.stack

# Each character is one a layer could lose: the comma kafka-storage splits
# --add-scram at, the quote and backslash of a JAAS string (and of a Java
# properties file), and a letter outside ASCII (Properties.load reads ISO-8859-1).
PASSWORD = 'Sésame, "ouvre" \\toi'


@pytest.fixture(scope="module")
def secured() -> Iterator[Settings]:
    state_dir = open_state_dir()
    settings = isolated_settings(
        state_dir,
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="orderflow-test",
        kafka_sasl_password=PASSWORD,
    )
    launcher = Launcher(settings)
    try:
        # Prepares (certificates, config, the format with the SCRAM credential),
        # spawns and waits until the broker answers the settings' own client.
        launcher.start(KAFKA)
        yield settings
    finally:
        stop(launcher.layout.pid_file(KAFKA.name), KAFKA.stop_signal, KAFKA.grace_s)
        shutil.rmtree(state_dir, ignore_errors=True)


def test_a_message_goes_round_over_sasl_ssl_with_the_settings_credentials(
    secured: Settings,
) -> None:
    access = kafka_access(secured)
    topic = f"Secured-{uuid.uuid4().hex[:8]}"
    producer = Producer(access.config(QUIET))
    producer.produce(topic, key=b"k", value=b"over TLS")
    assert producer.flush(30) == 0
    consumer = Consumer(
        access.config(
            QUIET,
            {"group.id": f"secured-{uuid.uuid4().hex[:8]}", "auto.offset.reset": "earliest"},
        )
    )
    consumer.subscribe([topic])
    deadline = time.monotonic() + 60
    message = None
    try:
        while message is None and time.monotonic() < deadline:
            message = consumer.poll(1)
    finally:
        consumer.close()

    assert message is not None
    assert message.error() is None
    assert message.value() == b"over TLS"


def test_a_wrong_password_is_refused_and_the_client_is_told(secured: Settings) -> None:
    refused: list[KafkaError] = []
    config = kafka_access(secured).config(
        QUIET, {"sasl.password": PASSWORD + "!", "error_cb": refused.append}
    )
    producer = Producer(config)

    told = wait_until(
        lambda: (
            producer.poll(0.2) >= 0 and any(e.code() == KafkaError._AUTHENTICATION for e in refused)
        ),
        timeout_s=30,
    )

    assert told, f"no authentication error, only {refused}"
    with pytest.raises(KafkaException):
        AdminClient(config).list_topics(timeout=5)


def test_a_plaintext_client_gets_no_metadata(secured: Settings) -> None:
    plain = AdminClient({"bootstrap.servers": secured.kafka_bootstrap, **QUIET})

    with pytest.raises(KafkaException):
        plain.list_topics(timeout=5)


def test_keys_and_passwords_stay_with_their_owner(secured: Settings) -> None:
    layout = Launcher(secured).layout
    private = [
        secured.local_tls_dir / tls.CA_KEY,
        tls.broker_keystore(secured),
        layout.config(kafka.config_name(1)),
    ]
    for path in private:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    # Kafka logs its config with passwords [hidden]; the format got a salted one.
    assert "ouvre" not in layout.log(kafka.NAME).read_text(errors="replace")


def test_a_service_waiting_for_kafka_with_a_wrong_password_is_told_at_once(
    secured: Settings,
) -> None:
    wrong = secured.model_copy(update={"kafka_sasl_password": SecretStr(PASSWORD + "!")})
    probe = dependencies.kafka(kafka_access(wrong)).probe

    with pytest.raises(DependencyRefused, match=r"Kafka at .* refused us: .*[Aa]uthentication"):
        probe()
    # And the right one answers.
    assert dependencies.kafka(kafka_access(secured)).probe() is None
