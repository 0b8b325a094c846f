"""Who may see and act on support needs.

* Advisers see the needs routed to their offices; only an adviser of one of
  those offices may take a need, and only the office that took it moves it on.
* Coordinators and programme officers see every need (they follow the routing).
* A firm's own members see and record their firm's needs.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from filiere.accounts.enums import Role
from filiere.accounts.selectors import oversees, user_roles
from filiere.directory.models import LegalUnit
from filiere.support.models import SupportNeed


def adviser_office_ids(user) -> set[int]:
    return {org for org, role in user_roles(user) if role == Role.ADVISER}


def visible_needs(user):
    if oversees(user):
        return SupportNeed.objects.all()
    organisations = {org for org, _role in user_roles(user)}
    if not organisations:
        raise PermissionDenied
    return SupportNeed.objects.filter(
        Q(offices__in=adviser_office_ids(user)) | Q(legal_unit__organisation__in=organisations)
    ).distinct()


def access_need(user, pk: int) -> SupportNeed:
    return get_object_or_404(
        visible_needs(user).select_related("legal_unit", "taken_office", "taken_by"), pk=pk
    )


def office_to_take(user, need: SupportNeed) -> int | None:
    """The user's office among those the need was routed to, if any."""
    routed = {o.pk for o in need.offices.all()}
    mine = sorted(adviser_office_ids(user) & routed)
    return mine[0] if mine else None


def can_move_on(user, need: SupportNeed) -> bool:
    return need.taken_office_id is not None and need.taken_office_id in adviser_office_ids(user)


def can_manage_rules(user) -> bool:
    return user.is_staff or any(role == Role.PROGRAMME_OFFICER for _o, role in user_roles(user))


def can_see_rules(user) -> bool:
    """Advisers and coordinators read the rules (which needs come to which office)."""
    return can_manage_rules(user) or oversees(user) or bool(adviser_office_ids(user))


def recordable_units(user):
    """The firms a user may record a need for: their own; any firm for partners."""
    if oversees(user) or adviser_office_ids(user):
        return LegalUnit.objects.all()
    organisations = {org for org, _role in user_roles(user)}
    return LegalUnit.objects.filter(organisation__in=organisations)
