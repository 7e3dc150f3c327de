"""Password hashing with argon2 (argon2-cffi defaults, rehashed when they change), and the
strength rules for a new password (length, common or guessable ones refused)."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


#: ANSSI and CNIL recommend at least 12 characters for a password alone
MIN_LENGTH = 12
#: fewer different characters than this is a repetition (aaaaaaaaaaaa, abababababab)
MIN_DISTINCT = 5

_COMMON_FILE = Path(__file__).parent / "data" / "common_passwords.txt"
#: letters and digits in keyboard and alphabet order (a password inside one is a sequence)
_SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "azertyuiopqsdfghjklmwxcvbn",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "aqwzsxedcrfvtgbyhnujikolpm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
#: what people type for letters (p@ssw0rd is password)
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


#: digits and signs added before or after a word
_EDGES = "0123456789 !\"#%&'()*+,-./:;<=>?[\\]^_`{|}~"


@cache
def common_passwords() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _normalised(text: str, *, leet: bool = False) -> str:
    """Lower case, no accents, letters and digits only."""
    folded = unicodedata.normalize("NFKD", text.lower())
    if leet:
        folded = folded.translate(_LEET)
    return "".join(c for c in folded if c.isascii() and c.isalnum())


def _is_sequence(text: str) -> bool:
    return any(text in seq or text in seq[::-1] for seq in _SEQUENCES) or any(
        text in seq * 3 for seq in _SEQUENCES
    )


def _is_repeated(text: str) -> bool:
    """``text`` is one shorter piece written several times over."""
    size = len(text)
    return any(size % n == 0 and text == text[:n] * (size // n) for n in range(1, size // 2 + 1))


def password_problem(password: str, *, username: str | None = None) -> str | None:
    """A French sentence saying why this password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return (
            f"le mot de passe doit contenir au moins {MIN_LENGTH} caractères "
            f"(il en a {len(password)}) ; une phrase de quelques mots est plus facile à retenir"
        )
    if len(set(password.lower())) < MIN_DISTINCT:
        return "le mot de passe répète trop peu de caractères différents : il se devine vite"
    plain = _normalised(password)
    if _is_repeated(plain):
        return "le mot de passe n'est qu'un motif répété (jetaimejetaime) : il se devine vite"
    if plain and _is_sequence(plain):
        return "le mot de passe suit une suite du clavier ou de l'alphabet : il se devine vite"
    common = common_passwords()
    # the word without the digits and signs people add before or after it (soleil123,
    # 2026azerty!), also read with digits as letters inside (p@ssw0rd)
    core = _normalised(password).strip("0123456789")
    inner = password.lower().strip(_EDGES)
    if core in common or _normalised(inner, leet=True) in common:
        return (
            "ce mot de passe fait partie des plus courants (ou n'y ajoute que des chiffres) : "
            "il est essayé en premier par qui cherche à entrer ; choisissez-en un autre"
        )
    if username and _normalised(password).strip("0123456789") == _normalised(username):
        return "le mot de passe ne doit pas reprendre l'identifiant"
    return None
