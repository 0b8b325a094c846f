"""A business's contact request reaches the firm whoever can receive it for the firm, and the
business reads on its need's page through whom."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from filiere.accounts.models import Membership
from filiere.accounts.notifications import absolute_url
from filiere.common.refusals import Refused
from filiere.directory.enums import Route
from filiere.directory.models import LegalUnit
from filiere.needs.enums import MatchStatus
from filiere.needs.models import Match
from filiere.needs.services import match_answer, match_request, need_erase, need_redirect
from tests.needs.test_needs import post_and_confirm


def contact(client, need, unit) -> Match:
    """The business asks, from its need's page, to be put in touch with ``unit``."""
    match, _created = Match.objects.get_or_create(
        need=need, legal_unit=unit, defaults={"rank": 99, "score": 0.1}
    )
    mail.outbox.clear()
    client.post(f"/besoins/suivi/{need.token}/contacter/{match.pk}/")
    match.refresh_from_db()
    return match


def need_page(client, need) -> str:
    return html.unescape(client.get(f"/besoins/suivi/{need.token}/").content.decode())


def test_a_firm_with_members_hears_from_them_and_the_business_reads_it(client, world):
    need = post_and_confirm(client)
    match = contact(client, need, world.pixel)
    assert match.delivered_to == Route.MEMBERS
    assert [m.to for m in mail.outbox] == [["lea@pixel.test"]]
    assert "/besoins/prestataire/" in mail.outbox[0].body
    assert "Transmis à l'équipe de l'entreprise" in need_page(client, need)


def test_a_firm_without_member_is_asked_at_its_contact_address_with_the_claim_link(client, world):
    LegalUnit.objects.filter(pk=world.gestion.pk).update(contact_email="contact@gestion.test")
    need = post_and_confirm(client)
    match = contact(client, need, world.gestion)
    assert match.status == MatchStatus.REQUESTED
    assert match.delivered_to == Route.CONTACT_ADDRESS
    [message] = mail.outbox
    assert message.to == ["contact@gestion.test"]
    assert (
        message.subject == "[Filière] Une entreprise souhaite vous contacter : Cidrerie du Bocage"
    )
    claim = absolute_url(reverse("directory:detail", args=[world.gestion.siren]))
    assert f"rejoignez la page de l'entreprise : {claim}" in message.body
    assert "Aucun membre de Gestion Plus n'a encore de compte sur Filière" in message.body
    assert "jeanne@cidrerie.test" not in message.body  # shared once the firm accepts
    assert "Transmis à l'adresse de contact de l'entreprise" in need_page(client, need)


def test_a_firm_without_member_nor_address_is_relayed_by_its_territorys_advisers(client, world):
    need = post_and_confirm(client)
    match = contact(client, need, world.gestion)  # Seine-Maritime: the CMA and the CCI
    assert match.delivered_to == Route.ADVISERS
    assert sorted(a for m in mail.outbox for a in m.to) == ["conseil@cci.test", "conseil@cma.test"]
    message = mail.outbox[0]
    assert message.subject == (
        "[Filière] Demande de contact pour Gestion Plus : Cidrerie du Bocage"
    )
    assert "merci de le lui transmettre" in message.body
    assert "Transmis au conseiller qui suit son territoire" in need_page(client, need)


def test_a_firm_nobody_can_be_told_of_is_refused_in_words(client, world):
    need = post_and_confirm(client)
    Membership.objects.exclude(user=world.pixel_member).update(is_active=False)
    match, _created = Match.objects.get_or_create(
        need=need, legal_unit=world.gestion, defaults={"rank": 99, "score": 0.1}
    )
    with pytest.raises(Refused) as refused:
        match_request(match=match)
    assert refused.value.rule == "match.nobody_to_tell"
    assert "Gestion Plus ne peut pas encore être contacté" in str(refused.value.message)
    match.refresh_from_db()
    assert (match.status, match.delivered_to) == (MatchStatus.SUGGESTED, "")


def test_nobody_answers_a_business_that_erased_its_details(client, world):
    need = post_and_confirm(client)
    match = contact(client, need, world.pixel)
    need_erase(need=need)
    match.refresh_from_db()
    with pytest.raises(Refused, match="a effacé ses coordonnées"):
        match_answer(match=match, user=world.pixel_member, accept=True)


def test_a_need_is_not_redirected_to_an_office_without_adviser(client, world):
    need = post_and_confirm(client)
    with pytest.raises(Refused) as refused:
        need_redirect(need=need, user=world.cci_adviser, organisation=world.nwx, note="")
    assert refused.value.field == "organisation"
    need.refresh_from_db()
    assert need.redirected_to is None


def test_a_need_no_adviser_follows_goes_to_the_programme_officers(client, world):
    Membership.objects.filter(user__in=[world.cci_adviser, world.cma_adviser]).update(
        is_active=False
    )
    post_and_confirm(client)
    told = [m for m in mail.outbox if "officier@region.test" in m.to]
    assert len(told) == 1
    assert "Aucun conseiller ne suit ce territoire" in told[0].body
