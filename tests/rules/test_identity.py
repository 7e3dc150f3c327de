"""Tests of cnpe_flow.rules.identity (PUMA-4 numbers; PUMA-1 is in test_rights_puma.py).

The NIR examples are python-stdnum's documented ones; NIA keys are computed in the tests
with the documented formula 97 − (13 first digits mod 97).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnpe_flow.rules.identity import classify_social_security_number

VALID_NIR = "295109912611193"  # stdnum.fr.nir documented example


def key_of(body: str) -> str:
    """The 2-digit key of a 13-digit body, by the published formula."""
    return f"{97 - int(body) % 97:02d}"


# ---------------------------------------------------------------- PUMA-4


def test_puma_4_valid_nir_gives_carte_vitale():
    """PUMA-4: a definitive NIR (first digit 1 or 2) gives a carte Vitale."""
    r = classify_social_security_number(VALID_NIR)
    assert r.kind == "nir"
    assert r.carte_vitale is True
    assert r.rules == ("PUMA-4",)


@pytest.mark.parametrize(
    "typed", ["2 95 10 99 126 111 93", " 295109912611193 ", "2\u00a095\u00a010 99 126 111 93"]
)
def test_puma_4_spaces_are_accepted(typed):
    """PUMA-4: ordinary and non-breaking spaces are separators."""
    r = classify_social_security_number(typed)
    assert r.kind == "nir"
    assert r.normalized == VALID_NIR


@pytest.mark.parametrize("corsica", ["253072B07300470", "253072A07300443"])
def test_puma_4_corsica_2a_2b(corsica):
    """PUMA-4: Corsican birth places 2A/2B are valid (stdnum examples)."""
    assert classify_social_security_number(corsica).kind == "nir"


@pytest.mark.parametrize("bad_key", ["295109912611199", "295109912611194", "295109912611100"])
def test_puma_4_invalid_nir_key(bad_key):
    """PUMA-4: a wrong 2-digit key is invalid and the message says « clé »."""
    r = classify_social_security_number(bad_key)
    assert r.kind == "invalid"
    assert r.carte_vitale is None
    assert "clé" in r.message


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("29510991261119", "longueur"),  # 14 characters
        ("2951099126111930", "longueur"),  # 16 characters
        ("", "aucun"),
        ("2951099126111-3", "caractère"),
        ("253072C07300443", "caractère"),
        ("2A3072B07300470", "Corse"),
    ],
)
def test_puma_4_invalid_format_messages(typed, word):
    """PUMA-4: the message names what is wrong (length, characters, Corsica letters)."""
    r = classify_social_security_number(typed)
    assert r.kind == "invalid"
    assert word in r.message


@pytest.mark.parametrize("first", ["7", "8"])
def test_puma_4_nia_starting_with_7_or_8(first):
    """PUMA-4: a provisional number (NIA) begins with 7 or 8: rights but no carte Vitale."""
    body = first + "850599123456"
    r = classify_social_security_number(body + key_of(body))
    assert r.kind == "nia"
    assert r.carte_vitale is False
    assert "carte Vitale" in r.message


def test_puma_4_nia_with_wrong_key_is_invalid():
    """PUMA-4: the NIA key is checked like the NIR one."""
    body = "7850599123456"
    wrong = f"{(int(key_of(body)) % 97) + 1:02d}"
    assert classify_social_security_number(body + wrong).kind == "invalid"


@pytest.mark.parametrize("first", ["0", "3", "4", "5", "6", "9"])
def test_puma_4_other_first_digits_are_neither_nir_nor_nia(first):
    """PUMA-4: only 1/2 (NIR) and 7/8 (NIA) are accepted, even with a correct key."""
    body = first + "850599123456"
    r = classify_social_security_number(body + key_of(body))
    assert r.kind == "invalid"
    assert "premier chiffre" in r.message


def test_puma_4_number_never_shown():
    """PUMA-4: neither the message nor the repr of the result contain the number."""
    for typed in (VALID_NIR, "295109912611199"):
        r = classify_social_security_number(typed)
        assert typed not in r.message
        assert typed not in repr(r)


@given(
    first=st.sampled_from("1278"),
    rest=st.text(alphabet="0123456789", min_size=12, max_size=12),
)
def test_puma_4_correct_key_is_valid_and_any_other_key_is_not(first, rest):
    """PUMA-4 (property): with the right key the kind follows the first digit; every other
    key is invalid."""
    body = first + rest
    good = key_of(body)
    kind = "nir" if first in "12" else "nia"
    assert classify_social_security_number(body + good).kind == kind
    other = f"{(int(good) + 1) % 100:02d}"
    assert classify_social_security_number(body + other).kind == "invalid"
