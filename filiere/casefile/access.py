"""Who opens a firm's case file, and what of it they read.

The case file is the partners' alone: the contract's advisers, coordinators and programme
officers (and the platform's administrators) open any firm's. It is never public, and never
shown to the firm's own members, even one who is also a partner elsewhere: the notes speak of
the firm. Notes are read by their author's organisation, or by every partner when the author
chose so; a reminder is its owner's alone.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from filiere.accounts.access import is_partner, partner_organisation_ids
from filiere.casefile.models import Reminder
from filiere.common.access import allows
from filiere.directory.access import access_legal_unit, is_member_of
from filiere.directory.models import LegalUnit


def check_see_case_file(user, unit: LegalUnit) -> None:
    if not user.is_authenticated or not is_partner(user) or is_member_of(user, unit):
        raise PermissionDenied


def can_see_case_file(user, unit: LegalUnit) -> bool:
    return allows(check_see_case_file, user, unit)


def access_case_file(user, siren: str) -> LegalUnit:
    return access_legal_unit(user, siren, check=can_see_case_file)


def note_organisation_ids(user) -> set[int]:
    """The organisations whose organisation-only notes the user reads and writes for."""
    return partner_organisation_ids(user)


def access_reminder(user, unit: LegalUnit, pk: int) -> Reminder:
    return get_object_or_404(Reminder.objects.filter(owner=user, legal_unit=unit), pk=pk)
