"""Who receives a message for a firm: its members, else its contact address, else the advisers
of its territory, else the Region's programme officers."""

from datetime import date

import pytest

from filiere.accounts.enums import OrganisationKind, Role
from filiere.accounts.models import Membership
from filiere.directory.enums import Route
from filiere.directory.models import Contact, LegalUnit
from filiere.directory.recipients import firm_recipients, or_programme_officers
from tests.factories import EstablishmentFactory, LegalUnitFactory, OrganisationFactory, member


@pytest.fixture
def firm(db):
    """A firm of the Orne (61) with one member."""
    unit = LegalUnitFactory(name="Orne Web", organisation=OrganisationFactory(slug="orne-web"))
    EstablishmentFactory(legal_unit=unit, is_head_office=True, departement_code="61")
    unit.member = member(unit.organisation, Role.COMPANY_MEMBER, email="lea@orne-web.test")
    return unit


@pytest.fixture
def partners(db):
    region = OrganisationFactory(slug="region", kind=OrganisationKind.REGIONAL_COUNCIL)
    chamber = OrganisationFactory(slug="cci", kind=OrganisationKind.CHAMBER_OF_COMMERCE)
    return {
        "officer": member(region, Role.PROGRAMME_OFFICER, email="officier@region.test"),
        # The chamber covers all Normandy; this adviser follows the Calvados only, that one the
        # Orne and the Manche.
        "calvados": _adviser(chamber, "calvados@cci.test", ["14"]),
        "orne": _adviser(chamber, "orne@cci.test", ["61", "50"]),
    }


def _adviser(organisation, email, area):
    user = member(organisation, Role.ADVISER, email=email)
    Membership.objects.filter(user=user).update(area=area)
    return user


def leaves(unit):
    Membership.objects.filter(organisation=unit.organisation).update(is_active=False)


def test_a_firm_with_members_is_reached_through_them(firm, partners):
    LegalUnit.objects.filter(pk=firm.pk).update(contact_email="contact@orne-web.test")
    firm.refresh_from_db()
    recipients = firm_recipients(firm)
    assert (recipients.route, recipients.addresses) == (Route.MEMBERS, ["lea@orne-web.test"])
    assert recipients.to_members
    assert not recipients.relayed


def test_without_members_its_contact_address(firm, partners):
    leaves(firm)
    LegalUnit.objects.filter(pk=firm.pk).update(contact_email="contact@orne-web.test")
    firm.refresh_from_db()
    recipients = firm_recipients(firm)
    assert recipients.route == Route.CONTACT_ADDRESS
    assert recipients.addresses == ["contact@orne-web.test"]
    assert recipients.to_firm_addresses


def test_without_contact_address_the_advisers_who_follow_its_head_office(firm, partners):
    leaves(firm)
    recipients = firm_recipients(firm)
    # Each adviser's own area counts: the Calvados adviser does not follow the Orne.
    assert (recipients.route, recipients.addresses) == (Route.ADVISERS, ["orne@cci.test"])
    assert recipients.relayed


def test_without_adviser_there_the_programme_officers(firm, partners):
    leaves(firm)
    Membership.objects.filter(user=partners["orne"]).update(area=["50"])
    recipients = firm_recipients(firm)
    assert recipients.route == Route.PROGRAMME_OFFICERS
    assert recipients.addresses == ["officier@region.test"]
    # What advisers may not read goes to the programme officers at once.
    Membership.objects.filter(user=partners["orne"]).update(area=["61"])
    assert firm_recipients(firm, advisers=False).route == Route.PROGRAMME_OFFICERS


def test_a_firm_without_a_place_is_relayed_by_those_who_follow_everywhere(db, partners):
    unit = LegalUnitFactory(name="Sans siège")  # nor organisation, nor establishment
    recipients = firm_recipients(unit)
    assert (recipients.route, recipients.addresses) == (
        Route.PROGRAMME_OFFICERS,
        ["officier@region.test"],
    )


def test_nobody_at_all_is_no_route(firm):
    leaves(firm)
    recipients = firm_recipients(firm)
    assert (recipients.route, recipients.addresses, bool(recipients)) == ("", [], False)


def test_invitations_reach_the_firms_contacts_too_and_need_no_relay_then(firm, partners):
    Contact.objects.create(
        legal_unit=firm, full_name="Paul", email="Paul@Orne-Web.test", consent_on=date(2025, 1, 1)
    )
    assert firm_recipients(firm, contacts=True).addresses == [
        "lea@orne-web.test",
        "paul@orne-web.test",
    ]
    leaves(firm)
    recipients = firm_recipients(firm, contacts=True)
    assert (recipients.route, recipients.addresses) == (Route.CONTACTS, ["paul@orne-web.test"])
    assert firm_recipients(firm).route == Route.ADVISERS  # other messages do not go to them


def test_a_role_nobody_holds_falls_to_the_programme_officers(partners):
    assert or_programme_officers(["coordination@pole.test"], "61") == (
        ["coordination@pole.test"],
        False,
    )
    assert or_programme_officers([], "61") == (["officier@region.test"], True)
