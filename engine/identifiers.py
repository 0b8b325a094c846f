"""Checks of French business identifiers: SIREN (9 digits) and SIRET (14 digits).

Both end with a Luhn check digit. The establishments of La Poste (SIREN
356 000 000) are numbered outside that rule: their SIRET's digits sum to a
multiple of 5 instead (INSEE's documented exception).
"""

LA_POSTE_SIREN = "356000000"


def luhn_is_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (rightmost digit is the key)."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_valid_siren(value: str) -> bool:
    return len(value) == 9 and luhn_is_valid(value)


def is_valid_siret(value: str) -> bool:
    if len(value) != 14 or not value.isascii() or not value.isdigit():
        return False
    if luhn_is_valid(value):
        return True
    return value.startswith(LA_POSTE_SIREN) and sum(int(c) for c in value) % 5 == 0


def luhn_complete(body: str) -> str:
    """``body`` followed by the check digit that makes it pass the Luhn check."""
    for key in "0123456789":
        if luhn_is_valid(body + key):
            return body + key
    raise ValueError(f"not a string of digits: {body!r}")
