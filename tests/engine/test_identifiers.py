from hypothesis import given
from hypothesis import strategies as st

from engine.identifiers import (
    LA_POSTE_SIREN,
    is_valid_siren,
    is_valid_siret,
    luhn_is_valid,
)


def luhn_key(body: str) -> str:
    """The check digit that makes body + key pass Luhn (a reference written independently)."""
    for key in "0123456789":
        digits = [int(c) for c in body + key]
        total = 0
        for i, d in enumerate(digits[::-1]):
            total += d if i % 2 == 0 else (d * 2 if d * 2 < 10 else d * 2 - 9)
        if total % 10 == 0:
            return key
    raise AssertionError


def test_known_real_identifiers():
    assert is_valid_siren("200053403")  # Région Normandie
    assert is_valid_siren("732829320")
    assert not is_valid_siren("732829321")
    assert is_valid_siret("73282932000074")
    assert not is_valid_siret("73282932000075")


def test_la_poste_exception():
    # A La Poste establishment number whose digits sum to 25: Luhn fails, the exception holds.
    assert not luhn_is_valid("35600000010014")
    assert is_valid_siret("35600000010014")
    assert not is_valid_siret("35600000010015")
    # The rule is La Poste's only: the same digits under another SIREN stay invalid.
    assert not is_valid_siret("73282932010014")


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_any_siren_with_its_key_is_valid(body):
    assert is_valid_siren(body + luhn_key(body))


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.integers(1, 9))
def test_changing_the_key_invalidates_a_siren(body, shift):
    key = luhn_key(body)
    wrong = str((int(key) + shift) % 10)
    assert not is_valid_siren(body + wrong)


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_any_siret_with_its_key_is_valid(body):
    assert is_valid_siret(body + luhn_key(body))


@given(st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_la_poste_sirets_follow_the_sum_rule(nic):
    siret = LA_POSTE_SIREN + nic
    digit_sum_ok = sum(int(c) for c in siret) % 5 == 0
    assert is_valid_siret(siret) == (digit_sum_ok or luhn_is_valid(siret))


@given(st.text(max_size=20))
def test_never_crashes_on_any_text(text):
    assert isinstance(is_valid_siret(text), bool)
    assert isinstance(is_valid_siren(text), bool)


def test_wrong_lengths_and_non_digits():
    assert not is_valid_siren("20005340")
    assert not is_valid_siren("2000534031")
    assert not is_valid_siret("7328293200007")
    assert not is_valid_siren("20005340a")
    assert not is_valid_siren("２００053403")  # full-width digits are not ASCII digits
