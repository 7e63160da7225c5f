"""The local stack's own certificate authority and the broker's certificate, made by openssl.

With TLS on (``ORDERFLOW_KAFKA_SECURITY_PROTOCOL`` SSL or SASL_SSL), the local
Kafka needs a certificate its clients can check: ``ensure_local_certificates``
makes a CA once (``ca.pem``, the file the clients trust, and ``ca.key``) and a
broker certificate signed by it (``broker.pem``: the PKCS#8 private key, then
the certificate chain, the one file Kafka's ``ssl.keystore.type=PEM`` reads).
The CA is kept as long as its files are there, so the clients' trust survives
restarts; the broker's certificate is issued again only when the names it must
cover change or it is about to expire.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from orderflow.settings import Settings
from orderflow.stack.errors import StackError

NAME = "tls"
CA_CERTIFICATE = "ca.pem"
CA_KEY = "ca.key"
BROKER_KEYSTORE = "broker.pem"
# The names broker.pem was issued for, beside it, so that a changed
# ORDERFLOW_KAFKA_HOST gets a certificate that covers it.
BROKER_NAMES = "broker.san"
CA_DAYS = 3650
# The longest validity Apple's TLS clients accept for a server certificate.
BROKER_DAYS = 825
# Issued again when it would expire within this many seconds.
RENEW_BEFORE_S = 86_400
# P-256: Java's PEM keystore (RSA, DSA or EC keys), librdkafka and openssl
# all read it, and a key takes milliseconds to make where RSA takes a second.
KEY_ARGUMENTS = ("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")


def ca_certificate(settings: Settings) -> Path:
    return settings.local_tls_dir / CA_CERTIFICATE


def broker_keystore(settings: Settings) -> Path:
    return settings.local_tls_dir / BROKER_KEYSTORE


def broker_hosts(settings: Settings) -> list[str]:
    """The names a client may reach the local broker by: itself on this machine, and
    the host the broker advertises."""
    return ["localhost", "127.0.0.1", settings.kafka_advertised_host]


def subject_alt_names(hosts: Iterable[str]) -> str:
    """openssl's subjectAltName value: ``IP:`` for an address, ``DNS:`` for a name,
    each once, in the order given."""
    entries: list[str] = []
    for host in hosts:
        entry = f"IP:{host}" if _is_address(host) else f"DNS:{host}"
        if entry not in entries:
            entries.append(entry)
    return ",".join(entries)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def broker_extensions(alt_names: str) -> str:
    """The extensions file of the broker's certificate: a server (and, for the broker's
    own connections to itself, a client), never a CA."""
    return (
        f"subjectAltName={alt_names}\n"
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth,clientAuth\n"
    )


def ca_arguments(key: Path, days: int = CA_DAYS) -> list[str]:
    """A self-signed CA certificate for ``key``, on standard output."""
    return [
        "req", "-x509", "-new", "-key", str(key), "-sha256", "-days", str(days),
        "-subj", "/CN=orderflow local CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ]  # fmt: skip


def request_arguments(key: Path) -> list[str]:
    """A certificate request for ``key``, on standard output. The names it is valid
    for are in the extensions the CA signs it with, not in the subject."""
    return ["req", "-new", "-key", str(key), "-subj", "/CN=orderflow kafka"]


def sign_arguments(
    ca: Path, ca_key: Path, extensions: Path, serial: str, days: int = BROKER_DAYS
) -> list[str]:
    """The CA's signature on the request read from standard input; the certificate on
    standard output. A random serial, so that openssl keeps no serial file."""
    return [
        "x509", "-req", "-CA", str(ca), "-CAkey", str(ca_key),
        "-set_serial", f"0x{serial}", "-days", str(days), "-sha256",
        "-extfile", str(extensions),
    ]  # fmt: skip


def expires_soon_arguments(certificate: Path, within_s: int = RENEW_BEFORE_S) -> list[str]:
    """Exits 1 when ``certificate`` expires within ``within_s`` seconds, 0 otherwise."""
    return ["x509", "-in", str(certificate), "-noout", "-checkend", str(within_s)]


def ensure_local_certificates(settings: Settings) -> None:
    """Make the CA and the broker's certificate in ``settings.local_tls_dir`` unless
    they are there; nothing without TLS."""
    if not settings.kafka_tls:
        return
    openssl = shutil.which("openssl")
    if openssl is None:
        raise StackError(
            NAME, "openssl is missing; install it (apt-get install openssl) to run Kafka with TLS"
        )
    folder = settings.local_tls_dir
    folder.mkdir(parents=True, exist_ok=True)
    ca, ca_key = folder / CA_CERTIFICATE, folder / CA_KEY
    made_ca = not (ca.exists() and ca_key.exists())
    if made_ca:
        key = _run(openssl, list(KEY_ARGUMENTS), "making the CA's key")
        _write(ca_key, key, private=True)
        _write(ca, _run(openssl, ca_arguments(ca_key), "making the CA's certificate"))
    alt_names = subject_alt_names(broker_hosts(settings))
    keystore, names = folder / BROKER_KEYSTORE, folder / BROKER_NAMES
    if made_ca or not _still_good(openssl, keystore, names, alt_names):
        _write(keystore, _issue_broker(openssl, ca, ca_key, alt_names), private=True)
        _write(names, alt_names.encode())


def _still_good(openssl: str, keystore: Path, names: Path, alt_names: str) -> bool:
    if not (keystore.exists() and names.exists()) or names.read_text() != alt_names:
        return False
    done = subprocess.run([openssl, *expires_soon_arguments(keystore)], capture_output=True)
    return done.returncode == 0


def _issue_broker(openssl: str, ca: Path, ca_key: Path, alt_names: str) -> bytes:
    """The broker's keystore: its new key, then its certificate and the CA's."""
    key = _run(openssl, list(KEY_ARGUMENTS), "making the broker's key")
    # The key has to be a file for openssl req; a folder only we can read holds it
    # until the keystore has it, and goes.
    with tempfile.TemporaryDirectory(dir=ca.parent, prefix=".issuing-") as scratch:
        key_file, extensions = Path(scratch) / "broker.key", Path(scratch) / "broker.ext"
        _write(key_file, key, private=True)
        extensions.write_text(broker_extensions(alt_names))
        request = _run(openssl, request_arguments(key_file), "making the broker's request")
        serial = secrets.token_hex(16)
        arguments = sign_arguments(ca, ca_key, extensions, serial)
        certificate = _run(openssl, arguments, "signing the broker's certificate", request)
    return key + certificate + ca.read_bytes()


def _run(openssl: str, arguments: Sequence[str], what: str, given: bytes | None = None) -> bytes:
    done = subprocess.run([openssl, *arguments], input=given, capture_output=True)
    if done.returncode != 0 or not done.stdout:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        reason = said[-1] if said else f"exit code {done.returncode}"
        raise StackError(NAME, f"openssl failed {what}: {reason}")
    return done.stdout


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    """Replace ``path`` whole: a reader never sees half a key, and a key file is
    created 0600, never readable by others even for a moment."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(
        temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
