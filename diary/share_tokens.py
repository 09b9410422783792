"""Share-link tokens: 256 bits derived from a random nonce with the server's secret key.

The database keeps the nonce and a SHA-256 hash of the token, never the token: a copy of
the database alone opens no report, yet the diarist's shares page can show each link
again. Changing SECRET_KEY invalidates every link.
"""

import base64
import hashlib
import hmac
import secrets

NONCE_BYTES = 32  # from secrets: 256 bits of randomness behind every token


def new_nonce() -> str:
    """A fresh random nonce for a new share."""
    return secrets.token_hex(NONCE_BYTES)


def token_for(secret_key: str, nonce: str) -> str:
    """The share's URL token: HMAC-SHA256 of the nonce under a key made for share links."""
    key = hmac.new(secret_key.encode(), b"baekkendagbog share links", hashlib.sha256).digest()
    digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    """What the database stores to find a share by its token."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_hash(stored: str, token: str) -> bool:
    """Compare a presented token with a stored hash in constant time."""
    return hmac.compare_digest(stored, token_hash(token))
