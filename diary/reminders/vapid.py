"""The server's VAPID key pair, which signs every push: from the environment, or made once and
kept in the instance folder (`manage.py vapid-keys`).

A browser's subscription is bound to the public key it was made with: a new key pair means
every device must subscribe again, so the key is made once and then kept.
"""

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid

from diary.config import ConfigError

KEY_FILE = "vapid_private_key"


@dataclass(frozen=True)
class VapidKeys:
    """The private key (base64url of its 32 raw bytes) and the public application server key."""

    private: str
    public: str


def b64url(raw: bytes) -> str:
    """base64url without padding, as the Push API writes keys."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; raise ValueError on anything else."""
    if not isinstance(text, str) or not text or len(text) > 200:
        raise ValueError("not base64url")
    cleaned = text.rstrip("=")
    if not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in cleaned):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))


def keys_from_private(private: str) -> VapidKeys:
    """The pair for a private key given as base64url (raw 32 bytes or DER); ValueError if it is none."""
    try:
        vapid = Vapid.from_string(private)
    except Exception as problem:  # py_vapid raises several kinds for a bad key
        raise ValueError("not a P-256 private key") from problem
    if (
        not isinstance(vapid.private_key, ec.EllipticCurvePrivateKey)
        or vapid.private_key.curve.name != "secp256r1"
    ):
        raise ValueError("not a P-256 private key")
    raw_private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return VapidKeys(private=b64url(raw_private), public=b64url(public))


def new_keys() -> VapidKeys:
    """A fresh P-256 key pair."""
    key = ec.generate_private_key(ec.SECP256R1())
    return keys_from_private(b64url(key.private_numbers().private_value.to_bytes(32, "big")))


def from_environment() -> VapidKeys | None:
    """VAPID_PRIVATE_KEY (and VAPID_PUBLIC_KEY, which must match it), or None when unset."""
    private = (os.environ.get("VAPID_PRIVATE_KEY") or "").strip()
    public = (os.environ.get("VAPID_PUBLIC_KEY") or "").strip()
    if not private:
        if public:
            raise ConfigError("VAPID_PUBLIC_KEY is set without VAPID_PRIVATE_KEY: set both, or neither")
        return None
    try:
        keys = keys_from_private(private)
    except ValueError:
        raise ConfigError(
            "VAPID_PRIVATE_KEY must be a P-256 private key in base64url, as `manage.py vapid-keys` prints it"
        ) from None
    if public and public.rstrip("=") != keys.public:
        raise ConfigError("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY")
    return keys


def instance_keys(instance_path: Path, create: bool = True) -> tuple[VapidKeys | None, bool]:
    """The pair kept in the instance folder, made there first when create; (keys, made now)."""
    key_file = instance_path / KEY_FILE
    made = False
    if not key_file.exists():
        if not create:
            return None, False
        instance_path.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it a moment ago: use that one
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(new_keys().private + "\n")
            made = True
    try:
        return keys_from_private(key_file.read_text().strip()), made
    except ValueError:
        raise ConfigError(
            f"{key_file} does not hold a VAPID private key; delete it to make a new one"
        ) from None


def server_keys(config, instance_path: Path) -> VapidKeys:
    """The keys in force: the environment's (read at start-up), else the instance folder's."""
    return config.get("VAPID_KEYS") or instance_keys(instance_path)[0]


def subject(config) -> str:
    """Who the push services may contact about our pushes: VAPID_SUBJECT, PUBLIC_URL or MAIL_FROM."""
    if config.get("VAPID_SUBJECT"):
        return config["VAPID_SUBJECT"]
    if config.get("PUBLIC_URL", "").startswith("https://"):
        return config["PUBLIC_URL"]
    if config.get("MAIL_FROM"):
        return "mailto:" + config["MAIL_FROM"]
    raise ConfigError("VAPID_SUBJECT must be set (mailto:you@example.dk or https://…) to send reminders")
