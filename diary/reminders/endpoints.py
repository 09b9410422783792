"""A push subscription as the browser sends it, checked before the server ever calls its URL.

The endpoint is an address the server will POST to, chosen by whoever subscribes: by default
only an https URL on the standard port whose host resolves to public addresses only (no
loopback, private, link-local, shared or reserved ranges), checked when she subscribes and
again before each send, as a name can point elsewhere later. PUSH_ALLOW_PRIVATE_ENDPOINTS
lets an operator (and the tests) use a push service on a local network, over http too.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from diary.entries.codes import N_
from diary.reminders.vapid import b64url_decode

MAX_ENDPOINT_LENGTH = 1024  # the column's size; real endpoints are a few hundred characters
P256DH_BYTES = 65  # an uncompressed P-256 point
AUTH_BYTES = 16


class InvalidSubscription(ValueError):
    """A subscription the server will not use; errors maps each field to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class CleanSubscription:
    endpoint: str
    p256dh: str
    auth: str


def public_address(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local…)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to; empty when it does not resolve."""
    try:
        return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except (OSError, UnicodeError):
        return []


def endpoint_problem(url, allow_private: bool, resolver=None) -> str | None:
    """Why the server must not call this endpoint (a message marked for translation), or None."""
    if not isinstance(url, str) or not url or len(url) > MAX_ENDPOINT_LENGTH:
        return N_("The push address is missing or too long.")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return N_("The push address is not a web address.")
    schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in schemes or not host or parts.username or parts.password or parts.fragment:
        return N_("The push address must be an https address of a push service.")
    if not url.isascii() or any(ch.isspace() for ch in url):
        return N_("The push address is not a web address.")
    if allow_private:
        return None
    if port not in (None, 443):
        return N_("The push address must be an https address of a push service.")
    addresses = (resolver or resolve)(host, 443)
    if not addresses:
        return N_("The push service's address could not be found.")
    if not all(public_address(address) for address in addresses):
        return N_("The push address must be on the public internet.")
    return None


def _key(raw, size: int) -> str | None:
    """A base64url key of exactly size bytes, as sent (without padding), or None."""
    try:
        decoded = b64url_decode(raw)
    except ValueError:
        return None
    return raw.rstrip("=") if len(decoded) == size else None


def _on_the_curve(raw: bytes) -> bool:
    """Whether 65 bytes are an uncompressed point of P-256: the only key a message can be encrypted to."""
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return raw[0] == 4


def validate_subscription(body, allow_private: bool, resolver=None) -> CleanSubscription:
    """The browser's PushSubscription JSON ({endpoint, keys: {p256dh, auth}}); raise InvalidSubscription."""
    if not isinstance(body, dict):
        raise InvalidSubscription({"endpoint": N_("Send the subscription as the browser gives it.")})
    errors = {}
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    p256dh = _key(keys.get("p256dh"), P256DH_BYTES)
    if p256dh is None or not _on_the_curve(b64url_decode(p256dh)):
        errors["keys.p256dh"] = N_("This is not a browser's push key.")
    auth = _key(keys.get("auth"), AUTH_BYTES)
    if auth is None:
        errors["keys.auth"] = N_("This is not a browser's push secret.")
    if not errors:  # resolve the host only for an otherwise sound subscription
        problem = endpoint_problem(body.get("endpoint"), allow_private, resolver)
        if problem:
            errors["endpoint"] = problem
    if errors:
        raise InvalidSubscription(errors)
    return CleanSubscription(body["endpoint"], p256dh, auth)
