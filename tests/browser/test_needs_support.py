import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from filiere.accounts.enums import Role
from filiere.directory.enums import Route
from filiere.directory.models import LegalUnit
from filiere.needs.models import Match, Need
from filiere.needs.services import need_confirm, need_post
from filiere.support.enums import Subject, SupportStatus, TradeRegister
from filiere.support.models import SupportNeed
from filiere.support.services import support_need_record
from tests.factories import member
from tests.worlds import PASSWORD, matching_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return matching_world()


def path_in_mail(pattern: str, to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(rf"https?://[^/\s]+({pattern}[^\s]*/)", message.body).group(1)


def test_a_business_posts_a_need_meets_a_provider_and_both_record_the_outcome(
    page, world, open_page, axe_violations
):
    page.goto("/")
    page.get_by_role("link", name="Un besoin numérique ?").click()
    page.get_by_label("Votre besoin").fill(
        "Nous voulons vendre nos cidres en ligne : une boutique avec paiement sécurisé"
    )
    page.get_by_label("Domaine").select_option(label="Site web, e-commerce")
    page.get_by_label("Budget").select_option(label="De 5 000 à 20 000 €")
    page.get_by_label("Commune").fill("Caen (14118)")
    page.get_by_label("Entreprise ou projet").fill("Cidrerie du Bocage")
    page.get_by_label("Entreprise en création").check()
    page.get_by_label("Nom et prénom").fill("Jeanne Lemoine")
    page.get_by_label("E-mail").fill("jeanne@cidrerie.test")
    page.get_by_label(re.compile("J'accepte que ces informations")).check()
    assert axe_violations() == []
    page.get_by_role("button", name="Déposer mon besoin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")

    page.goto(path_in_mail("/besoins/confirmer/", "jeanne@cidrerie.test"))
    page.get_by_role("button", name="Confirmer et voir les prestataires proposés").click()
    first = page.locator("ol.cards > li").first
    expect(first.get_by_role("heading")).to_have_text("Atelier Pixel")
    expect(first).to_contain_text(re.compile(r"Mots en commun :\s+ligne, boutique"))
    expect(first).to_contain_text("Site web, e-commerce")
    expect(first).to_contain_text("Intervient dans votre département")
    expect(first).to_contain_text("Boutique en ligne d'une cidrerie du Pays d'Auge")
    assert axe_violations() == []
    follow_url = page.url
    page.get_by_role("button", name="Contacter Atelier Pixel").click()
    expect(page.get_by_role("status")).to_contain_text("transmise à Atelier Pixel")
    expect(page.locator("#contacted-title")).to_be_visible()

    provider = open_page("lea@pixel.test")
    provider.get_by_role("link", name="Demandes de contact").click()
    request = provider.locator("article.card").first
    expect(request).to_contain_text("Cidrerie du Bocage")
    expect(request).not_to_contain_text("jeanne@cidrerie.test")
    request.get_by_role("button", name="Accepter").click()
    expect(provider.get_by_role("status")).to_contain_text("Demande acceptée")
    request = provider.locator("article.card").first
    expect(request).to_contain_text("jeanne@cidrerie.test")
    request.get_by_label("Où en êtes-vous ?").select_option(label="Contrat signé")
    request.get_by_label("Montant du contrat (€)").fill("8500")
    request.get_by_role("button", name="Enregistrer la suite").click()
    expect(provider.get_by_role("status")).to_contain_text("La suite donnée est enregistrée")

    page.goto(follow_url)
    card = page.locator("#contacted-title + ul > li").first
    expect(card).to_contain_text("Accepté par le prestataire")
    card.get_by_label("Où en êtes-vous ?").select_option(label="Devis reçu")
    card.get_by_role("button", name="Enregistrer la suite").click()
    expect(page.get_by_role("status")).to_contain_text("La suite donnée est enregistrée")

    match = Match.objects.get(need=Need.objects.get(), legal_unit=world.pixel)
    assert (match.business_outcome, match.provider_outcome) == ("quote", "contract_signed")
    assert match.contract_amount_eur == 8500


def test_a_contact_request_to_a_firm_without_member_reaches_its_contact_address(
    page, world, axe_violations
):
    LegalUnit.objects.filter(pk=world.gestion.pk).update(contact_email="contact@gestion.test")
    page.goto("/")
    page.get_by_role("link", name="Un besoin numérique ?").click()
    page.get_by_label("Votre besoin").fill(
        "Un logiciel de gestion pour nos devis, notre facturation et nos stocks"
    )
    page.get_by_label("Domaine").select_option(label="Gestion, ERP, CRM")
    page.get_by_label("Commune").fill("Rouen (76540)")
    page.get_by_label("Entreprise ou projet").fill("Cidrerie du Bocage")
    page.get_by_label("Entreprise en création").check()
    page.get_by_label("Nom et prénom").fill("Jeanne Lemoine")
    page.get_by_label("E-mail").fill("jeanne@cidrerie.test")
    page.get_by_label(re.compile("J'accepte que ces informations")).check()
    page.get_by_role("button", name="Déposer mon besoin").click()
    page.goto(path_in_mail("/besoins/confirmer/", "jeanne@cidrerie.test"))
    page.get_by_role("button", name="Confirmer et voir les prestataires proposés").click()

    # Gestion Plus has no member on the platform: the business asks for it all the same.
    page.get_by_role("button", name="Contacter Gestion Plus").click()
    expect(page.get_by_role("status")).to_contain_text("transmise à Gestion Plus")
    card = page.locator("#contacted-title + ul > li", has_text="Gestion Plus")
    expect(card).to_contain_text("Contact demandé")
    expect(card).to_contain_text("Transmis à l'adresse de contact de l'entreprise")
    assert axe_violations() == []

    # The firm reads it at its contact address, with the link to its page, to claim it.
    message = next(m for m in reversed(mail.outbox) if "contact@gestion.test" in m.to)
    assert "Aucun membre de Gestion Plus n'a encore de compte sur Filière" in message.body
    assert "jeanne@cidrerie.test" not in message.body
    claim = path_in_mail("/annuaire/", "contact@gestion.test")
    assert claim == f"/annuaire/{world.gestion.siren}/"
    page.goto(claim)
    expect(page.get_by_role("heading", level=1)).to_have_text("Gestion Plus")
    expect(page.locator("#contact-email")).to_have_text("contact@gestion.test")
    match = Match.objects.get(legal_unit=world.gestion)
    assert match.delivered_to == Route.CONTACT_ADDRESS


def test_a_need_sent_back_with_an_error_focuses_the_field_to_correct(page, world):
    page.goto("/besoins/deposer/")
    page.get_by_label("Votre besoin").fill("Un site vitrine pour notre cidrerie")
    page.get_by_label("Domaine").select_option(label="Site web, e-commerce")
    page.get_by_label("Commune").fill("Caen (14118)")
    page.get_by_label("Entreprise ou projet").fill("Cidrerie du Bocage")
    page.get_by_label("Nom et prénom").fill("Jeanne Lemoine")
    page.get_by_label("E-mail").fill("jeanne@cidrerie.test")
    page.get_by_label(re.compile("J'accepte que ces informations")).check()
    page.get_by_role("button", name="Déposer mon besoin").click()
    # Neither a SIRET nor « en création »: the SIRET field, below the fold, takes the focus.
    siret = page.get_by_label("SIRET")
    expect(siret).to_be_focused()
    expect(siret).to_be_in_viewport()
    expect(page.locator(".field", has=siret)).to_contain_text("cochez « entreprise en création »")
    assert not Need.objects.exists()


def test_a_support_need_is_routed_taken_escalated_closed_and_rated(page, world, open_page, login):
    # Another need, recorded eight days ago, that nobody has taken.
    forgotten = support_need_record(
        unit=world.rempart,
        subject=Subject.FINANCE,
        description="Prêt d'honneur",
        register=TradeRegister.TRADE,
        user=world.coordinator,
        now=timezone.now() - timedelta(days=8),
    )
    login("coordination@nwx.test", PASSWORD)
    page.get_by_role("link", name="Accompagnement").click()
    page.get_by_role("link", name="Enregistrer un besoin").click()
    page.get_by_label("SIREN de l'entreprise").fill(world.pixel.siren)
    page.get_by_label("Sujet").select_option(label="Ingénierie financière")
    page.get_by_label("Le besoin").fill("Levée de fonds de 300 k€ pour recruter")
    page.get_by_label("Personne à contacter").fill("Léa Martin")
    page.get_by_label("Son e-mail").fill("lea@pixel.test")
    page.get_by_role("button", name="Transmettre").click()
    expect(page.get_by_role("status")).to_contain_text("Besoin transmis à : CCI")
    need = SupportNeed.objects.get(legal_unit=world.pixel)
    detail = f"/accompagnement/{need.pk}/"

    # The CMA covers another département: the need is not theirs, taking it is refused.
    other = open_page("conseil@cma.test")
    assert other.goto(detail).status == 404
    refused = other.request.post(f"{detail}prendre/", headers=csrf(other))
    assert refused.status == 404

    adviser = open_page("conseil@cci.test")
    adviser.get_by_role("link", name="Accompagnement").click()
    adviser.get_by_role("link", name="Atelier Pixel").click()
    expect(adviser.locator("#support-contact")).to_contain_text("Léa Martin — lea@pixel.test")
    adviser.get_by_role("button", name="Je prends en charge").click()
    expect(adviser.locator("#support-status")).to_have_text("Pris en charge")

    # The daily escalation, run with the clock frozen at a known moment.
    call_command("escalate_support_needs", now=(timezone.now() + timedelta(hours=1)).isoformat())
    adviser.goto(f"/accompagnement/{forgotten.pk}/")
    expect(adviser.get_by_role("heading", name="Historique").locator("..")).to_contain_text(
        "Relance"
    )
    assert any("Relance (7 jours" in m.subject for m in mail.outbox)

    adviser.goto(detail)
    adviser.get_by_label("Nouvel état").select_option(label="Traité")
    adviser.get_by_label("Note de clôture ou motif").fill("Dossier de prêt d'honneur monté")
    adviser.get_by_role("button", name="Enregistrer l'état").click()
    expect(adviser.locator("#support-status")).to_have_text("Traité")

    firm = open_page()
    firm.goto(path_in_mail("/accompagnement/avis/", "lea@pixel.test"))
    firm.get_by_label("4 — Satisfait").check()
    firm.get_by_label("Un commentaire ?").fill("Très réactifs")
    firm.get_by_role("button", name="Envoyer mon avis").click()
    expect(firm.get_by_role("status")).to_contain_text("Merci")

    adviser.reload()
    expect(adviser.get_by_text("4/5 Très réactifs", exact=True)).to_be_visible()
    need.refresh_from_db()
    assert need.status == SupportStatus.DONE
    assert need.satisfaction == 4


def test_an_adviser_takes_a_need_another_office_no_longer_can_and_notes_are_kept(world, open_page):
    need = need_post(
        commune=world.caen,
        text="Une boutique en ligne pour nos cidres, avec paiement sécurisé",
        domain="web",
        company_name="Cidrerie du Bocage",
        is_creator=True,
        contact_name="Jeanne Lemoine",
        contact_email="jeanne@cidrerie.test",
    )
    need_confirm(need=need)
    detail = f"/besoins/conseil/{need.pk}/"
    # A newcomer at the CCI, which follows Calvados; an adviser of another office that does too.
    member(world.cci, Role.ADVISER, email="nina@cci.test", first_name="Nina", last_name="Leroy")
    member(world.nwx, Role.ADVISER, email="conseil@nwx.test")

    adviser = open_page("nina@cci.test")
    adviser.get_by_role("link", name="Besoins du territoire").click()
    adviser.get_by_role("link", name="Cidrerie du Bocage").click()
    expect(adviser.locator("#need-taken")).to_contain_text("personne pour l'instant")
    adviser.get_by_label("Note de qualification").fill("Boutique et paiement, 200 références")
    adviser.get_by_role("button", name="Qualifier").click()
    expect(adviser.get_by_role("status")).to_contain_text("Besoin qualifié")
    adviser.get_by_role("button", name="Prendre en charge").click()
    expect(adviser.get_by_role("status")).to_contain_text("Vous avez pris en charge ce besoin")
    expect(adviser.locator("#need-status")).to_have_text("Pris en charge")
    expect(adviser.locator("#need-taken")).to_contain_text("CCI")
    expect(adviser.locator("#need-taken")).to_contain_text("Nina Leroy")
    # Another office's adviser reads who took it, and may no longer take it.
    other = open_page("conseil@nwx.test")
    other.goto(detail)
    expect(other.locator("#need-taken")).to_contain_text("Nina Leroy")
    expect(other.get_by_role("button", name="Prendre en charge")).to_have_count(0)
    refused = other.request.post(f"{detail}prendre/", headers=csrf(other))
    assert "Ce besoin est déjà pris en charge ou clos." in refused.text()
    need.refresh_from_db()
    assert need.taken_by.email == "nina@cci.test"

    # Redirected by who holds it, the need keeps its qualification note before the reason.
    adviser.get_by_label("Réorienter vers").select_option(label="CMA")
    adviser.get_by_label("Pourquoi").fill("Artisan cidrier : la CMA l'accompagne")
    adviser.get_by_role("button", name="Réorienter").click()
    expect(adviser.get_by_role("status")).to_contain_text("Besoin réorienté")
    notes = adviser.locator("#notes > li")
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_contain_text("Qualification")
    expect(notes.nth(0)).to_contain_text("Boutique et paiement, 200 références")
    expect(notes.nth(0)).to_contain_text("Nina Leroy")
    expect(notes.nth(1)).to_contain_text("Réorientation")
    expect(notes.nth(1)).to_contain_text("Artisan cidrier : la CMA l'accompagne")
    expect(adviser.locator("#need-taken")).to_contain_text("personne pour l'instant")


def csrf(page) -> dict:
    token = page.evaluate("document.cookie.match(/csrftoken=([^;]+)/)[1]")
    return {"X-CSRFToken": token, "Referer": page.url}
