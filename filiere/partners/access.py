"""Who manages an organisation's API keys: its admins (and the platform's administrators).
Written once, as ``check_manage_keys``; the pages and the services call it first."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from filiere.accounts.access import is_admin, is_team_admin
from filiere.accounts.models import Organisation
from filiere.common.access import allows, get_or_404
from filiere.partners.models import ApiKey


def check_manage_keys(user, organisation) -> None:
    if is_admin(user) or is_team_admin(user, organisation):
        return
    raise PermissionDenied


def can_manage_keys(user, organisation) -> bool:
    return allows(check_manage_keys, user, organisation)


def access_organisation(user, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    check_manage_keys(user, organisation)
    return organisation


def access_key(user, organisation, pk) -> ApiKey:
    check_manage_keys(user, organisation)
    return get_or_404(ApiKey.objects.filter(organisation=organisation), pk)
