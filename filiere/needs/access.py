"""Who may see and act on what in the needs flow.

* The business reaches its need through the secret link sent to its address
  (``Need.token``); no account is needed.
* A provider's members (any role in the firm's organisation) answer the
  contacts asked of the firm and record their outcome.
* Advisers (and coordinators and programme officers) see the needs of the
  départements their offices cover (an office with no area covers all).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from filiere.accounts.access import partner_organisation_ids
from filiere.accounts.models import Organisation
from filiere.accounts.selectors import user_roles
from filiere.directory.models import LegalUnit
from filiere.needs.enums import NeedStatus
from filiere.needs.models import Match, Need


def adviser_offices(user) -> list[Organisation]:
    ids = partner_organisation_ids(user)
    return list(Organisation.objects.filter(id__in=ids)) if ids else []


def is_adviser(user) -> bool:
    return user.is_staff or bool(partner_organisation_ids(user))


def territory_filter(user) -> Q | None:
    """The needs an adviser sees, as a filter; ``None`` when the user sees all."""
    if user.is_staff:
        return None
    offices = adviser_offices(user)
    if not offices:
        raise PermissionDenied
    if any(office.covers_everywhere for office in offices):
        return None
    return Q(departement_code__in={code for office in offices for code in office.area})


def adviser_needs(user):
    needs = Need.objects.exclude(status=NeedStatus.UNCONFIRMED)
    scope = territory_filter(user)
    return needs if scope is None else needs.filter(scope)


def access_need_as_adviser(user, pk: int) -> Need:
    return get_object_or_404(adviser_needs(user).select_related("commune", "redirected_to"), pk=pk)


def access_need_by_token(token) -> Need:
    return get_object_or_404(Need.objects.select_related("commune"), token=token)


def provider_units(user) -> list[LegalUnit]:
    """The firms a user answers for."""
    organisations = {org for org, _role in user_roles(user)}
    if not organisations:
        return []
    return list(LegalUnit.objects.filter(organisation_id__in=organisations, offer__isnull=False))


def access_match_as_provider(user, pk: int) -> Match:
    match = get_object_or_404(Match.objects.select_related("need__commune", "legal_unit"), pk=pk)
    organisation = match.legal_unit.organisation_id
    if organisation is None or not any(org == organisation for org, _r in user_roles(user)):
        raise PermissionDenied
    return match
