"""Who manages an organisation's API keys: whoever runs what the organisation plugs into the
platform (``accounts.access.check_runs_team``: its admins and the platform's administrators),
as for its webhooks. The pages and the services ask it first."""

from filiere.accounts.access import check_runs_team
from filiere.common.access import get_or_404
from filiere.partners.models import ApiKey


def access_key(user, organisation, pk) -> ApiKey:
    check_runs_team(user, organisation)
    return get_or_404(ApiKey.objects.filter(organisation=organisation), pk)
