import pytest

from filiere.accounts.enums import Role
from tests.factories import OrganisationFactory, member
from tests.webhooks.receiver import running_receiver


@pytest.fixture
def receiver():
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def partner(db):
    """An organisation and its team's admin."""
    organisation = OrganisationFactory(slug="crm-partenaire", name="Partenaire CRM")
    admin = member(organisation, Role.COMPANY_MEMBER, email="admin@partenaire.test")
    admin.memberships.update(is_admin=True)
    return organisation, admin
