"""Who may see and edit what in the directory.

Everyone sees the register's data and the profiles; contacts (personal data)
are shown to signed-in members of a partner organisation and to the firm's
own members; only the firm's own members (and administrators) edit its profile.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from filiere.accounts.access import is_admin, is_partner, organisation_ids
from filiere.common.access import May
from filiere.directory.models import LegalUnit


def is_member_of(user, unit: LegalUnit) -> bool:
    """A member, in any role, of the organisation that owns the firm's entry."""
    return unit.organisation_id is not None and unit.organisation_id in organisation_ids(user)


def can_edit_profile(user, unit: LegalUnit) -> bool:
    return is_admin(user) or is_member_of(user, unit)


def can_see_contacts(user, unit: LegalUnit) -> bool:
    return can_edit_profile(user, unit) or is_partner(user)


def may_legal_unit(user, unit: LegalUnit) -> May:
    return May(user, unit, edit=can_edit_profile, see_contacts=can_see_contacts)


def access_legal_unit(user, siren: str, *, check=None) -> LegalUnit:
    """The firm (everyone sees the directory); with ``check``, only if it allows the user."""
    unit = get_object_or_404(LegalUnit.objects.select_related("organisation"), siren=siren)
    if check is not None and not check(user, unit):
        raise PermissionDenied
    return unit


def units_of(user):
    """The firms whose entry belongs to one of the user's organisations."""
    return LegalUnit.objects.filter(organisation__in=organisation_ids(user))
