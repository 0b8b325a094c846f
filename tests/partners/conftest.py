import pytest

from filiere.accounts.models import Membership
from filiere.partners import services
from filiere.partners.enums import Scope


@pytest.fixture
def make_key(world):
    """A key of the CCI, created by its adviser made the team's admin."""
    Membership.objects.filter(user=world.cci_adviser, organisation=world.cci).update(is_admin=True)

    def make(*scopes, organisation=None, user=None):
        return services.key_create(
            user=user or world.cci_adviser,
            organisation=organisation or world.cci,
            name="CRM de la CCI",
            scopes=list(scopes or Scope.values),
        )

    return make


def bearer(created) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {created.token}"}
