"""Password hashing with argon2id at OWASP's recommended minimum (19 MiB, 2 passes)."""

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 1024  # long enough for any passphrase, short enough not to be a hashing DoS

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


COMMON_PASSWORDS_FILE = Path(__file__).with_name("data") / "common-passwords.txt"


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    """Whether a password is on the list of common (leaked) passwords, in any case."""
    return password.strip().lower() in _common_passwords()


# A hash to verify against when no user has the email, so a wrong email costs as long as a
# wrong password and the log-in form does not reveal which emails have accounts.
DUMMY_HASH = hash_password("not a real password, only a timing decoy")
