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


#: The app's own name as people type it: the first word an attacker adds to a guess list.
APP_NAMES = ("bækkendagbog", "baekkendagbog", "bakkendagbog", "bekkendagbog")
#: A shorter local part of an email ("jo", "ab") is inside too many ordinary words to refuse.
MIN_LOCAL_PART = 3
NAMES_THE_APP = "app"
NAMES_HER_EMAIL = "email"


def personal_problem(password: str, email: str | None) -> str | None:
    """Why a password is easy to guess from who she is: "app", "email" or None.

    It may not contain the app's name, her email address, or the part before the "@"
    (in any case), because those are what someone who knows her account tries first.
    """
    folded = password.casefold()
    if any(name in folded for name in APP_NAMES):
        return NAMES_THE_APP
    address = (email or "").strip().casefold()
    local_part = address.partition("@")[0]
    if address and (address in folded or (len(local_part) >= MIN_LOCAL_PART and local_part in folded)):
        return NAMES_HER_EMAIL
    return None


# A hash to verify against when no user has the email, so a wrong email costs as long as a
# wrong password and the log-in form does not reveal which emails have accounts.
DUMMY_HASH = hash_password("not a real password, only a timing decoy")
