"""Who manages an organisation's API keys: whoever runs what the organisation plugs into the
platform (``accounts.access.runs_team``: its admins and the platform's administrators), as for
its webhooks. The pages and the services call ``check_manage_keys`` first."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from filiere.accounts.access import runs_team
from filiere.accounts.models import Organisation
from filiere.common.access import get_or_404
from filiere.partners.models import ApiKey


def check_manage_keys(user, organisation) -> None:
    if not runs_team(user, organisation):
        raise PermissionDenied


def access_organisation(user, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    check_manage_keys(user, organisation)
    return organisation


def access_key(user, organisation, pk) -> ApiKey:
    check_manage_keys(user, organisation)
    return get_or_404(ApiKey.objects.filter(organisation=organisation), pk)
