"""Who runs an organisation's webhooks: whoever runs what the organisation plugs into the
platform (``accounts.access.check_runs_team``: its team's admins and the platform's
administrators), as for its API keys. The pages and the services ask it first."""

from filiere.accounts.access import check_runs_team
from filiere.common.access import get_or_404
from filiere.webhooks.models import Endpoint


def access_endpoint(user, organisation, pk) -> Endpoint:
    """One of the organisation's endpoints (404 for another organisation's)."""
    check_runs_team(user, organisation)
    return get_or_404(Endpoint.objects.filter(organisation=organisation), pk)
