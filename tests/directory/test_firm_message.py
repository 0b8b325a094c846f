"""A signed-in person writes to a firm from its page: the message goes where
``directory.recipients`` says, and the sender reads which route it took."""

import pytest
from django.core import mail
from django.urls import reverse

from filiere.accounts.enums import OrganisationKind, Role
from filiere.accounts.models import Membership
from filiere.directory.forms import MESSAGE_MAX_LENGTH
from filiere.directory.models import LegalUnit
from tests.factories import (
    EstablishmentFactory,
    LegalUnitFactory,
    OrganisationFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(db):
    """A firm of the Orne with one member; the Region's officer follows the whole région."""
    region = OrganisationFactory(slug="region", kind=OrganisationKind.REGIONAL_COUNCIL)
    member(region, Role.PROGRAMME_OFFICER, email="officier@region.test")
    unit = LegalUnitFactory(name="Orne Web", organisation=OrganisationFactory(slug="orne-web"))
    EstablishmentFactory(legal_unit=unit, is_head_office=True, departement_code="61")
    member(unit.organisation, Role.COMPANY_MEMBER, email="lea@orne-web.test")
    return unit


@pytest.fixture
def sender(client):
    user = UserFactory(email="jeanne@cidrerie.test", first_name="Jeanne", last_name="Lemoine")
    client.force_login(user)
    return user


def write(client, unit, message="Bonjour, pourriez-vous refaire notre site ?", **kwargs):
    return client.post(
        reverse("directory:message", args=[unit.siren]), {"message": message}, **kwargs
    )


def test_the_firms_page_offers_to_contact_it(client, firm, sender):
    page = client.get(reverse("directory:detail", args=[firm.siren])).content.decode()
    assert 'id="contact-title">Contacter</h2>' in page
    assert reverse("directory:message", args=[firm.siren]) in page


def test_the_message_reaches_the_members_and_the_sender_reads_it(
    client, firm, sender, on_commit_at_once
):
    page = write(client, firm, follow=True).content.decode()
    assert "Message envoyé à Orne Web. Transmis à l&#x27;équipe de l&#x27;entreprise." in page
    (sent,) = mail.outbox
    assert sent.to == ["lea@orne-web.test"]
    assert "Jeanne Lemoine" in sent.subject
    assert "pourriez-vous refaire notre site" in sent.body
    assert "jeanne@cidrerie.test" in sent.body  # to answer the sender


def test_a_firm_without_members_is_written_to_at_its_contact_address_with_the_claim_link(
    client, firm, sender, on_commit_at_once
):
    Membership.objects.filter(organisation=firm.organisation).update(is_active=False)
    LegalUnit.objects.filter(pk=firm.pk).update(contact_email="contact@orne-web.test")
    page = write(client, firm, follow=True).content.decode()
    assert "Transmis à l&#x27;adresse de contact de l&#x27;entreprise" in page
    (sent,) = mail.outbox
    assert sent.to == ["contact@orne-web.test"]
    assert f"/annuaire/{firm.siren}/" in sent.body  # where the firm claims its page


def test_a_firm_nobody_answers_for_reaches_the_programme_officers(
    client, firm, sender, on_commit_at_once
):
    Membership.objects.filter(organisation=firm.organisation).update(is_active=False)
    page = write(client, firm, follow=True).content.decode()
    assert "Transmis aux chargé·es de mission de la Région" in page
    (sent,) = mail.outbox
    assert sent.to == ["officier@region.test"]
    assert "à transmettre" in sent.subject
    assert "Merci de le lui transmettre" in sent.body


def test_nobody_to_receive_it_is_said_and_nothing_is_sent(client, sender, on_commit_at_once):
    unit = LegalUnitFactory(name="Personne")  # no member, no address, no partner at all
    response = write(client, unit)
    assert response.status_code == 422
    assert "votre message n&#x27;est pas envoyé" in response.content.decode()
    assert mail.outbox == []


def test_only_signed_in_people_who_are_not_the_firm_write_to_it(client, firm):
    url = reverse("directory:detail", args=[firm.siren])
    page = client.get(url).content.decode()
    assert "Connectez-vous pour contacter cette entreprise" in page
    response = write(client, firm)
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]
    client.force_login(Membership.objects.get(organisation=firm.organisation).user)
    assert 'id="contact-title"' not in client.get(url).content.decode()
    assert write(client, firm).status_code == 403


def test_the_message_is_bounded(client, firm, sender, on_commit_at_once):
    assert write(client, firm, message="  ").status_code == 422
    assert write(client, firm, message="x" * (MESSAGE_MAX_LENGTH + 1)).status_code == 422
    assert mail.outbox == []


def test_messages_are_rate_limited_per_account(client, firm, sender, settings, on_commit_at_once):
    settings.FILIERE_LIMIT_FIRM_MESSAGES = "2/h"
    for _ in range(2):
        assert write(client, firm).status_code == 302
    assert write(client, firm).status_code == 429
    assert len(mail.outbox) == 2
