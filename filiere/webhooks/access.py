"""Who runs an organisation's webhooks: its team's admins, and the platform's administrators
(the rule, once; the pages and the services ask it)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from filiere.accounts.access import runs_team
from filiere.accounts.models import Organisation
from filiere.common.access import allows, get_or_404
from filiere.webhooks.models import Endpoint


def check_manage_webhooks(user, organisation) -> None:
    if not (user.is_authenticated and runs_team(user, organisation)):
        raise PermissionDenied


def can_manage_webhooks(user, organisation) -> bool:
    return allows(check_manage_webhooks, user, organisation)


def access_organisation(user, slug: str):
    """The organisation whose webhooks the user runs (404 if none, 403 for another's)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    check_manage_webhooks(user, organisation)
    return organisation


def access_endpoint(user, organisation, pk) -> Endpoint:
    """One of the organisation's endpoints (404 for another organisation's)."""
    check_manage_webhooks(user, organisation)
    return get_or_404(Endpoint.objects.filter(organisation=organisation), pk)
