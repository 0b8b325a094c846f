"""Who may see and edit what in the directory.

Everyone sees the register's data and the profiles; contacts (personal data)
are shown to signed-in members of a partner organisation and to the firm's
own members; only the firm's own members (and staff) edit its profile.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from filiere.accounts.selectors import partner_organisation_ids, user_roles
from filiere.directory.models import LegalUnit


def can_edit_profile(user, unit: LegalUnit) -> bool:
    if user.is_staff:
        return True
    if unit.organisation_id is None:
        return False
    return any(org == unit.organisation_id for org, _role in user_roles(user))


def can_see_contacts(user, unit: LegalUnit) -> bool:
    return can_edit_profile(user, unit) or bool(partner_organisation_ids(user))


def access_legal_unit(user, siren: str, *, edit: bool = False) -> LegalUnit:
    unit = get_object_or_404(LegalUnit.objects.select_related("organisation"), siren=siren)
    if edit and not can_edit_profile(user, unit):
        raise PermissionDenied
    return unit
