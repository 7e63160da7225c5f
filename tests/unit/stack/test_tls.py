"""The local CA and the broker's certificate: made by the real openssl, in a tmp folder."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import SecretStr

from orderflow.settings import KafkaSecurity, Settings
from orderflow.stack import tls
from orderflow.stack.errors import StackError

# scripts/install-system-deps installs it, as the local stack needs it for TLS.
OPENSSL = shutil.which("openssl")


pytestmark = pytest.mark.usefixtures("no_machine_settings")


def tls_settings(
    state_dir: Path,
    protocol: KafkaSecurity = "SSL",
    *,
    host: str = "127.0.0.1",
    kafka_host: str | None = None,
) -> Settings:
    sasl = protocol == "SASL_SSL"
    return Settings(
        state_dir=state_dir,
        host=host,
        kafka_host=kafka_host,
        kafka_security_protocol=protocol,
        kafka_sasl_username="alice" if sasl else None,
        kafka_sasl_password=SecretStr("pw") if sasl else None,
    )


def openssl(*arguments: str) -> str:
    assert OPENSSL is not None
    done = subprocess.run([OPENSSL, *arguments], capture_output=True, text=True, check=True)
    return done.stdout


def alt_names(certificate: Path) -> str:
    """The subjectAltName of the first certificate in the file (openssl skips the key)."""
    text = openssl("x509", "-in", str(certificate), "-noout", "-ext", "subjectAltName")
    return text.splitlines()[-1].strip()


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [
        (["localhost", "127.0.0.1", "kafka"], "DNS:localhost,IP:127.0.0.1,DNS:kafka"),
        (["localhost", "127.0.0.1", "127.0.0.1"], "DNS:localhost,IP:127.0.0.1"),
        (["::1", "kafka.internal"], "IP:::1,DNS:kafka.internal"),
    ],
)
def test_subject_alt_names_tells_addresses_from_names_once_each(
    hosts: list[str], expected: str
) -> None:
    assert tls.subject_alt_names(hosts) == expected


@pytest.mark.parametrize(
    ("host", "kafka_host", "advertised"),
    [
        ("127.0.0.1", None, "127.0.0.1"),
        ("0.0.0.0", None, "127.0.0.1"),
        ("0.0.0.0", "kafka", "kafka"),
    ],
)
def test_broker_hosts_are_this_machine_and_the_advertised_host(
    tmp_path: Path, host: str, kafka_host: str | None, advertised: str
) -> None:
    settings = tls_settings(tmp_path, host=host, kafka_host=kafka_host)

    assert tls.broker_hosts(settings) == ["localhost", "127.0.0.1", advertised]


def test_plaintext_makes_no_certificate(tmp_path: Path) -> None:
    tls.ensure_local_certificates(tls_settings(tmp_path, "PLAINTEXT"))

    assert not (tmp_path / "tls").exists()


def test_without_openssl_the_error_says_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)

    with pytest.raises(StackError, match="openssl is missing"):
        tls.ensure_local_certificates(tls_settings(tmp_path))


@pytest.mark.parametrize("protocol", ["SSL", "SASL_SSL"])
def test_the_broker_certificate_covers_every_name_a_client_uses(
    tmp_path: Path, protocol: KafkaSecurity
) -> None:
    settings = tls_settings(tmp_path, protocol, kafka_host="kafka.internal")

    tls.ensure_local_certificates(settings)

    keystore = tls.broker_keystore(settings)
    assert alt_names(keystore) == "DNS:localhost, IP Address:127.0.0.1, DNS:kafka.internal"
    # The one file Kafka's PEM keystore reads: the key, then the chain up to our CA.
    text = keystore.read_text()
    assert text.startswith("-----BEGIN PRIVATE KEY-----")
    assert text.count("-----BEGIN CERTIFICATE-----") == 2
    assert text.endswith(tls.ca_certificate(settings).read_text())
    ca = str(tls.ca_certificate(settings))
    assert openssl("verify", "-CAfile", ca, "-purpose", "sslserver", str(keystore)).strip() == (
        f"{keystore}: OK"
    )


def test_the_keys_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    settings = tls_settings(tmp_path)

    tls.ensure_local_certificates(settings)

    folder = settings.local_tls_dir
    assert mode(folder / tls.CA_KEY) == 0o600
    assert mode(folder / tls.BROKER_KEYSTORE) == 0o600
    # No scratch copy of the broker's key is left behind.
    assert {path.name for path in folder.iterdir()} == {
        tls.CA_CERTIFICATE,
        tls.CA_KEY,
        tls.BROKER_KEYSTORE,
        tls.BROKER_NAMES,
    }


def test_a_second_start_keeps_the_ca_and_the_broker_certificate(tmp_path: Path) -> None:
    settings = tls_settings(tmp_path)
    tls.ensure_local_certificates(settings)
    folder = settings.local_tls_dir
    before = {path.name: path.read_bytes() for path in folder.iterdir()}

    tls.ensure_local_certificates(settings)

    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_a_new_kafka_host_gets_a_new_broker_certificate_from_the_same_ca(tmp_path: Path) -> None:
    first = tls_settings(tmp_path)
    tls.ensure_local_certificates(first)
    ca, keystore = tls.ca_certificate(first).read_bytes(), tls.broker_keystore(first).read_bytes()

    moved = tls_settings(tmp_path, kafka_host="kafka.example")
    tls.ensure_local_certificates(moved)

    assert tls.ca_certificate(moved).read_bytes() == ca
    assert tls.broker_keystore(moved).read_bytes() != keystore
    assert alt_names(tls.broker_keystore(moved)) == (
        "DNS:localhost, IP Address:127.0.0.1, DNS:kafka.example"
    )


def test_a_certificate_about_to_expire_is_issued_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tls_settings(tmp_path)
    tls.ensure_local_certificates(settings)
    ca, keystore = (
        tls.ca_certificate(settings).read_bytes(),
        tls.broker_keystore(settings).read_bytes(),
    )
    # "Soon" stretched past the certificate's whole validity: it expires within it.
    within = (tls.BROKER_DAYS + 1) * 86_400
    soon = functools.partial(tls.expires_soon_arguments, within_s=within)
    monkeypatch.setattr(tls, "expires_soon_arguments", soon)

    tls.ensure_local_certificates(settings)

    assert tls.ca_certificate(settings).read_bytes() == ca
    assert tls.broker_keystore(settings).read_bytes() != keystore


def test_a_lost_ca_key_makes_a_new_ca_and_a_broker_certificate_it_signed(tmp_path: Path) -> None:
    settings = tls_settings(tmp_path)
    tls.ensure_local_certificates(settings)
    ca = tls.ca_certificate(settings).read_bytes()
    (settings.local_tls_dir / tls.CA_KEY).unlink()

    tls.ensure_local_certificates(settings)

    new_ca = tls.ca_certificate(settings)
    assert new_ca.read_bytes() != ca
    keystore = str(tls.broker_keystore(settings))
    assert openssl("verify", "-CAfile", str(new_ca), keystore).strip() == f"{keystore}: OK"


def test_the_ca_only_signs_and_the_broker_certificate_is_no_ca(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty openssl.cnf: Debian's adds CA:TRUE to every "req -x509" on its own,
    # and another machine's may not; the extensions must come from tls.py itself.
    empty = tmp_path / "openssl.cnf"
    empty.write_text("")
    monkeypatch.setenv("OPENSSL_CONF", str(empty))
    settings = tls_settings(tmp_path)

    tls.ensure_local_certificates(settings)

    def extensions(certificate: Path) -> list[str]:
        names = "basicConstraints,keyUsage,extendedKeyUsage"
        text = openssl("x509", "-in", str(certificate), "-noout", "-ext", names)
        return [line.strip() for line in text.splitlines()]

    assert extensions(tls.ca_certificate(settings)) == [
        "X509v3 Basic Constraints: critical",
        "CA:TRUE",
        "X509v3 Key Usage: critical",
        "Certificate Sign, CRL Sign",
    ]
    assert extensions(tls.broker_keystore(settings)) == [
        "X509v3 Basic Constraints: critical",
        "CA:FALSE",
        "X509v3 Key Usage: critical",
        "Digital Signature",
        "X509v3 Extended Key Usage:",
        "TLS Web Server Authentication, TLS Web Client Authentication",
    ]
