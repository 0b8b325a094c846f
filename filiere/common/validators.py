"""Form and model validators for French business identifiers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from engine.identifiers import is_valid_siren, is_valid_siret


def validate_siren(value: str) -> None:
    if not is_valid_siren(value):
        raise ValidationError(
            _("« %(value)s » n'est pas un SIREN valide (9 chiffres, clé de Luhn)."),
            code="invalid_siren",
            params={"value": value},
        )


def validate_siret(value: str) -> None:
    if not is_valid_siret(value):
        raise ValidationError(
            _("« %(value)s » n'est pas un SIRET valide (14 chiffres, clé de Luhn)."),
            code="invalid_siret",
            params={"value": value},
        )


RNA = re.compile(r"W\d{9}")


def validate_siret_or_rna(value: str) -> None:
    """An association is named by its SIRET, or by its RNA number (« W » and 9 digits) when it
    has no SIRET."""
    if not (is_valid_siret(value) or RNA.fullmatch(value)):
        raise ValidationError(
            _("« %(value)s » n'est ni un SIRET valide ni un numéro RNA (W et 9 chiffres)."),
            code="invalid_pivot",
            params={"value": value},
        )
