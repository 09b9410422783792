"""Share-link tokens: 256 bits derived from a random nonce with the server's secret key.

The database keeps the nonce and a SHA-256 hash of the token, never the token, so that the
diarist's shares page can show each link and its QR code again. The price: whoever holds
both the database and SECRET_KEY (a copy of the whole instance folder, say) can derive every
live link; the database alone opens no report. Changing SECRET_KEY closes every link.
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


def token_matches(secret_key: str, nonce: str, token: str) -> bool:
    """Whether a presented token is the one the key derives from the nonce, compared in constant time."""
    return hmac.compare_digest(token_for(secret_key, nonce).encode(), token.encode())
