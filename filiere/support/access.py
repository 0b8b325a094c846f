"""Who may see and act on support needs.

* Advisers see the needs routed to their offices; only an adviser of one of
  those offices may take a need, and only the office that took it moves it on.
* Coordinators and programme officers see every need (they follow the routing).
* A firm's own members see and record their firm's needs.
* Programme officers edit the routing rules; advisers and coordinators read them.

Each rule is written once, as a ``check_…`` that the services call first.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filiere.accounts.access import (
    is_admin,
    is_programme_officer,
    organisation_ids,
    organisation_ids_in_role,
    oversees,
)
from filiere.accounts.enums import Role
from filiere.common.access import May, allows
from filiere.common.refusals import Refused
from filiere.common.taking import check_held, check_takeable
from filiere.directory.models import LegalUnit
from filiere.support.models import SupportNeed


def adviser_office_ids(user) -> set[int]:
    """The offices a user takes needs for: those where they are an adviser."""
    return organisation_ids_in_role(user, Role.ADVISER)


def can_see_support(user) -> bool:
    """Firms' members, partners and admins follow support needs (their own, or routed)."""
    return is_admin(user) or bool(organisation_ids(user))


def visible_needs(user):
    if oversees(user):
        return SupportNeed.objects.all()
    organisations = organisation_ids(user)
    if not organisations:
        raise PermissionDenied
    return SupportNeed.objects.filter(
        Q(offices__in=adviser_office_ids(user)) | Q(legal_unit__organisation__in=organisations)
    ).distinct()


def access_need(user, pk: int) -> SupportNeed:
    return get_object_or_404(
        visible_needs(user).select_related("legal_unit", "taken_office", "taken_by"), pk=pk
    )


def access_need_by_survey_token(token) -> SupportNeed:
    """The firm answers the survey through the link it was sent; no account is needed."""
    return get_object_or_404(SupportNeed.objects.select_related("legal_unit"), survey_token=token)


def office_to_take(user, need: SupportNeed) -> int | None:
    """The user's office among those the need was routed to, if any."""
    routed = {o.pk for o in need.offices.all()}
    mine = sorted(adviser_office_ids(user) & routed)
    return mine[0] if mine else None


def check_take(user, need: SupportNeed) -> int:
    """An adviser of an office the need went to takes it while nobody has; returns the office."""
    office = office_to_take(user, need)
    if office is None:
        raise PermissionDenied
    check_takeable(need.status)
    return office


def check_move_on(user, need: SupportNeed) -> None:
    """Only the office that took the need notes it, closes it or hands it back, while it
    holds it."""
    if need.taken_office_id is None or need.taken_office_id not in adviser_office_ids(user):
        raise PermissionDenied
    check_held(need.status)


def check_survey(need: SupportNeed) -> None:
    """The firm rates the support once the need is closed."""
    if need.closed_at is None:
        raise Refused(
            "support.survey_before_close",
            _("L'avis sur l'accompagnement se donne une fois le besoin clos."),
        )


def can_take(user, need: SupportNeed) -> bool:
    return allows(check_take, user, need)


def can_move_on(user, need: SupportNeed) -> bool:
    return allows(check_move_on, user, need)


def may_need(user, need: SupportNeed) -> May:
    return May(user, need, take=can_take, move_on=can_move_on)


def can_manage_rules(user) -> bool:
    return is_programme_officer(user)


def can_see_rules(user) -> bool:
    """Advisers and coordinators read the rules (which needs come to which office)."""
    return can_manage_rules(user) or oversees(user) or bool(adviser_office_ids(user))


def check_manage_rules(user) -> None:
    if not can_manage_rules(user):
        raise PermissionDenied


def recordable_units(user):
    """The firms a user may record a need for: their own; any firm for partners."""
    if oversees(user) or adviser_office_ids(user):
        return LegalUnit.objects.all()
    return LegalUnit.objects.filter(organisation__in=organisation_ids(user))


def check_record(user, unit: LegalUnit) -> None:
    if not recordable_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied


def own_unit(user) -> LegalUnit | None:
    """The firm a member records needs for when they represent exactly one."""
    if oversees(user) or adviser_office_ids(user):
        return None
    units = list(recordable_units(user)[:2])
    return units[0] if len(units) == 1 else None
