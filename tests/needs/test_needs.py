import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management.base import CommandError

from filiere.accounts.models import EmailOptOut
from filiere.needs.enums import MatchStatus, NeedStatus, Outcome
from filiere.needs.indicator_sources import contracts_signed, matches_accepted
from filiere.needs.models import InvitationList, Match, Need
from tests.factories import (
    CommuneFactory,
    ContractFactory,
    DepartementFactory,
    RegionFactory,
)

NEED = {
    "text": "Nous voulons vendre nos cidres en ligne : une boutique avec paiement",
    "domain": "web",
    "budget": "5k_20k",
    "place": "Caen (14118)",
    "company_name": "Cidrerie du Bocage",
    "is_creator": "on",
    "contact_name": "Jeanne Lemoine",
    "contact_email": "jeanne@cidrerie.test",
    "consent": "on",
}


def link_in(message, name: str) -> str:
    return re.search(rf"https?://[^/\s]+(/besoins/{name}/[^\s]+/)", message.body).group(1)


def post_and_confirm(client, **changes) -> Need:
    response = client.post("/besoins/deposer/", {**NEED, **changes})
    assert response.status_code == 200
    confirm = link_in(mail.outbox[-1], "confirmer")
    client.post(confirm)
    return Need.objects.get(contact_email=changes.get("contact_email", NEED["contact_email"]))


def test_a_need_is_published_only_once_its_address_is_confirmed(client, world):
    response = client.post("/besoins/deposer/", NEED)
    assert "Vérifiez votre messagerie" in response.content.decode()
    need = Need.objects.get()
    assert need.status == NeedStatus.UNCONFIRMED
    assert need.departement_code == "14"
    assert not need.matches.exists()
    assert mail.outbox[-1].to == ["jeanne@cidrerie.test"]
    confirm = link_in(mail.outbox[-1], "confirmer")
    # The link shows a button: a mail scanner that follows it confirms nothing.
    assert "Confirmer" in client.get(confirm).content.decode()
    need.refresh_from_db()
    assert need.status == NeedStatus.UNCONFIRMED

    response = client.post(confirm, follow=True)
    need.refresh_from_db()
    assert need.status == NeedStatus.NEW
    first = need.matches.order_by("rank").first()
    assert first.legal_unit == world.pixel
    assert "boutique" in first.explanation["words"]
    assert first.explanation["same_departement"]
    page = response.content.decode()
    assert "Atelier Pixel" in page
    assert "Mots en commun" in page
    # Advisers of the offices covering Calvados hear of it; the CMA covers only Seine-Maritime.
    to = {address for message in mail.outbox for address in message.to}
    assert "conseil@cci.test" in to
    assert "conseil@cma.test" not in to


def test_the_siret_is_not_said_optional_since_it_is_asked_for(client, world):
    form = client.get("/besoins/deposer/").context["form"]
    assert "Facultatif" not in str(form["siret"].help_text)
    assert "entreprise en création" in str(form["siret"].help_text)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"place": "Atlantis"}, "place", "Commune inconnue"),
        ({"is_creator": ""}, "siret", "cochez « entreprise en création »"),
        ({"siret": "12345678901234", "is_creator": ""}, "siret", ""),
        ({"consent": ""}, "consent", ""),
        ({"contact_email": "pas-une-adresse"}, "contact_email", ""),
    ],
)
def test_bad_input_is_located_and_saves_nothing(client, world, changes, field, message):
    response = client.post("/besoins/deposer/", {**NEED, **changes})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Need.objects.exists()
    assert not mail.outbox


def test_a_name_several_communes_bear_means_the_one_of_the_platforms_region(
    client, world, settings
):
    """With all of France loaded, « Saint-Lô » typed without its code is the Manche's, not a
    namesake elsewhere; outside the platform's région the code decides."""
    brittany = RegionFactory(code="53", name="Bretagne")
    CommuneFactory(code="50502", name="Saint-Lô")
    CommuneFactory(
        code="35999", name="Saint-Lô", departement=DepartementFactory(code="35", region=brittany)
    )
    settings.FILIERE_REGION = "28"
    client.post("/besoins/deposer/", {**NEED, "place": "saint-lô"})
    assert Need.objects.get().commune.code == "50502"

    settings.FILIERE_REGION = "11"  # neither namesake is home: the form asks for the code
    response = client.post("/besoins/deposer/", {**NEED, "place": "Saint-Lô"})
    assert response.status_code == 422
    assert "Plusieurs communes" in " ".join(response.context["form"].errors["place"])


def test_contact_accept_and_outcomes_feed_the_contract_indicators(client, world):
    need = post_and_confirm(client)
    match = need.matches.get(legal_unit=world.pixel)
    follow = f"/besoins/suivi/{need.token}/"
    mail.outbox.clear()

    client.post(f"{follow}contacter/{match.pk}/")
    match.refresh_from_db()
    assert match.status == MatchStatus.REQUESTED
    assert mail.outbox[-1].to == ["lea@pixel.test"]

    # Another firm's member may not answer; the firm's own member accepts.
    client.force_login(world.rempart_member)
    assert (
        client.post(f"/besoins/prestataire/{match.pk}/reponse/", {"answer": "accept"}).status_code
        == 403
    )
    client.force_login(world.pixel_member)
    inbox = client.get("/besoins/prestataire/").content.decode()
    assert "Cidrerie du Bocage" in inbox
    assert "jeanne@cidrerie.test" not in inbox  # contact details only once accepted
    client.post(f"/besoins/prestataire/{match.pk}/reponse/", {"answer": "accept"})
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED
    assert "jeanne@cidrerie.test" in client.get("/besoins/prestataire/").content.decode()
    assert mail.outbox[-1].to == ["jeanne@cidrerie.test"]

    # A signed contract needs its amount.
    client.post(f"/besoins/prestataire/{match.pk}/suite/", {"outcome": Outcome.CONTRACT_SIGNED})
    match.refresh_from_db()
    assert match.provider_outcome == ""
    client.post(
        f"/besoins/prestataire/{match.pk}/suite/",
        {"outcome": Outcome.CONTRACT_SIGNED, "amount_eur": "8500"},
    )
    client.logout()
    client.post(f"{follow}suite/{match.pk}/", {"outcome": Outcome.QUOTE})
    match.refresh_from_db()
    assert match.provider_outcome == Outcome.CONTRACT_SIGNED
    assert match.business_outcome == Outcome.QUOTE
    assert match.contract_amount_eur == Decimal("8500")

    contract = ContractFactory(region=world.caen.departement.region)
    today = date.today()
    assert matches_accepted(contract, [date(2000, 1, 1), today]) == [0, 1]
    assert contracts_signed(contract, [today]) == [1]


def test_only_an_accepted_contact_takes_an_outcome(client, world):
    """The rule is the service's (it used to be checked again by the view, with a 403): the
    business is told why on its page and nothing is recorded."""
    need = post_and_confirm(client)
    match = need.matches.first()
    page = f"http://testserver/besoins/suivi/{need.token}/"
    response = client.post(
        f"/besoins/suivi/{need.token}/suite/{match.pk}/",
        {"outcome": Outcome.CONTRACT_SIGNED, "amount_eur": "1000"},
        HTTP_REFERER=page,
        follow=True,
    )
    assert response.redirect_chain == [(page, 302)]
    assert (
        "Une suite se donne une fois la demande de contact acceptée." in response.content.decode()
    )
    match.refresh_from_db()
    assert match.business_outcome == ""
    # Without a page to go back to, the refusal is a page of its own.
    response = client.post(
        f"/besoins/suivi/{need.token}/suite/{match.pk}/", {"outcome": Outcome.CONTRACT_SIGNED}
    )
    assert response.status_code == 409


def test_a_provider_describes_its_offer_and_is_found_at_once(client, world):
    need = post_and_confirm(client, text="Former nos salariés au tableur et à la bureautique")
    assert not need.matches.filter(legal_unit=world.rempart, rank=1).exists()
    client.force_login(world.pixel_member)
    siren = world.rempart.siren
    assert client.get(f"/besoins/offre/{siren}/").status_code == 403

    client.force_login(world.rempart_member)
    form = {
        "summary": "Formations à la bureautique et au tableur pour les salariés de TPE",
        "domains": ["training", "cybersecurity"],
        "is_published": "on",
        "references-TOTAL_FORMS": "1",
        "references-INITIAL_FORMS": "0",
        "references-0-title": "Formation tableur pour une mairie",
        "references-0-year": "2019",
    }
    assert client.post(f"/besoins/offre/{siren}/", {**form, "domains": []}).status_code == 422
    client.post(f"/besoins/offre/{siren}/", form)
    world.rempart.offer.refresh_from_db()
    assert world.rempart.offer.references.get().title == "Formation tableur pour une mairie"

    other = post_and_confirm(
        client,
        text="Former nos salariés au tableur et à la bureautique",
        domain="training",
        contact_email="autre@exemple.test",
    )
    best = other.matches.order_by("rank").first()
    assert best.legal_unit == world.rempart
    assert best.explanation["reference"] == "Formation tableur pour une mairie"


def test_advisers_see_their_territory_qualify_redirect_and_invite(
    client, world, django_assert_max_num_queries
):
    caen = post_and_confirm(client)
    rouen = post_and_confirm(
        client, place="Rouen (76540)", contact_email="b@rouen.test", company_name="Garage Lecoq"
    )
    client.force_login(world.pixel_member)
    assert client.get("/besoins/conseil/").status_code == 403

    client.force_login(world.cma_adviser)  # the CMA covers Seine-Maritime only
    listing = client.get("/besoins/conseil/").content.decode()
    assert "Garage Lecoq" in listing
    assert "Cidrerie du Bocage" not in listing
    assert client.get(f"/besoins/conseil/{caen.pk}/").status_code == 404

    client.force_login(world.cci_adviser)
    for _ in range(5):
        post_and_confirm(client, contact_email=f"x{_}@exemple.test")
    with django_assert_max_num_queries(8):
        listing = client.get("/besoins/conseil/?departement=14").content.decode()
    assert "Cidrerie du Bocage" in listing
    latest = Need.objects.filter(departement_code="14").latest("created_at")
    assert listing.index(f"/besoins/conseil/{latest.pk}/") < listing.index(
        f"/besoins/conseil/{caen.pk}/"
    )
    assert "Garage Lecoq" not in listing
    assert "6 besoins" in listing
    # The export keeps the filters and leaves out the contact details.
    exported = client.get("/besoins/conseil/?departement=14&format=csv").content.decode()
    lines = exported.splitlines()
    assert lines[0].startswith("\ufeffdepose_le;entreprise;en_creation;domaine")
    assert len(lines) == 1 + 6
    assert "Cidrerie du Bocage;oui;Site web, e-commerce" in lines[-1]
    assert "Garage Lecoq" not in exported
    assert "@" not in exported

    detail = f"/besoins/conseil/{rouen.pk}/"
    response = client.post(f"{detail}qualifier/", {"domain": "web", "note": ""})
    assert response.status_code == 422
    client.post(f"{detail}qualifier/", {"domain": "management", "note": "Devis et stocks"})
    rouen.refresh_from_db()
    assert rouen.qualified_by == world.cci_adviser
    assert rouen.matches.order_by("rank").first().legal_unit == world.gestion

    client.post(f"{detail}reorienter/", {"organisation": world.cma.pk, "note": "Artisan"})
    rouen.refresh_from_db()
    assert rouen.redirected_to == world.cma
    assert "conseil@cma.test" in mail.outbox[-1].to

    client.post(
        "/besoins/invitations/", {"name": "Rencontres de Caen", "organisation": world.cci.pk}
    )
    invitation = InvitationList.objects.get()
    firms = [str(world.pixel.pk), str(world.gestion.pk)]
    add = {"invitation_list": invitation.pk, "firms": firms}
    client.post(f"/besoins/conseil/{caen.pk}/inviter/", add)
    client.post(f"/besoins/conseil/{caen.pk}/inviter/", add)  # twice: each firm once
    assert invitation.entries.count() == 2
    csv = client.get(f"/besoins/invitations/{invitation.pk}.csv").content.decode()
    # A byte-order mark, so that spreadsheet software reads the accents as UTF-8.
    assert csv.splitlines()[0] == "\ufeffsiren;entreprise;besoin;ajoutée le"
    assert world.pixel.siren in csv
    client.force_login(world.cma_adviser)
    assert client.get(f"/besoins/invitations/{invitation.pk}/").status_code == 404


def test_unsubscribing_stops_notifications_but_not_confirmations(client, world):
    need = post_and_confirm(client)
    match = need.matches.get(legal_unit=world.pixel)
    notification = next(m for m in mail.outbox if "conseil@cci.test" in m.to)
    unsubscribe = notification.extra_headers["List-Unsubscribe"].strip("<>")
    path = re.sub(r"^https?://[^/]+", "", unsubscribe)
    assert "Me désabonner" in client.get(path).content.decode()
    client.post(path)
    assert EmailOptOut.objects.filter(email="conseil@cci.test").exists()
    assert client.get("/comptes/desabonnement/pas-un-jeton/").status_code == 404

    mail.outbox.clear()
    post_and_confirm(client, contact_email="conseil@cci.test")
    assert [m.to for m in mail.outbox] == [["conseil@cci.test"]]  # the confirmation only
    assert match.need.matches.exists()


def test_rank_command(tmp_path, run_command):
    providers = tmp_path / "p.jsonl"
    providers.write_text(
        "\n".join(
            json.dumps(p)
            for p in [
                {"id": "a", "name": "A", "description": "sites internet", "tags": ["cpv:72"]},
                {"id": "b", "name": "B", "description": "travaux de voirie", "departement": "14"},
                {"id": "c", "description": "boutique en ligne, sites internet", "extra": 1},
            ]
        ),
        encoding="utf-8",
    )
    needs = tmp_path / "n.jsonl"
    needs.write_text(
        json.dumps({"id": "n1", "text": "refonte de notre site internet", "tags": ["cpv:7222"]})
        + "\n"
        + json.dumps({"id": "n2", "text": "voirie", "departement": "14"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.jsonl"
    stdout, _ = run_command("rank", providers=str(providers), needs=str(needs), top=2, out=str(out))
    assert "besoins classés: 2" in stdout
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["need_id"] for line in lines] == ["n1", "n2"]
    assert len(lines[0]["provider_ids"]) == 2
    assert set(lines[0]["provider_ids"]) == {"a", "c"}
    assert lines[1]["provider_ids"][0] == "b"

    needs.write_text('{"id": "n1", "text": "ok"}\n{"id": "n2"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="1 problème"):
        run_command("rank", providers=str(providers), needs=str(needs), out=str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_the_need_page_counts_its_queries(client, world, django_assert_max_num_queries):
    need = post_and_confirm(client)
    Match.objects.filter(need=need).update(status=MatchStatus.ACCEPTED)
    with django_assert_max_num_queries(5):
        page = client.get(f"/besoins/suivi/{need.token}/").content.decode()
    assert page.count("Enregistrer la suite") == need.matches.count()


def test_the_api_suggests_explained_providers(client, world):
    url = "/api/needs/suggestions"
    body = {"text": "audit de sécurité et sauvegardes", "commune": "76540", "top": 2}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert len(data) == 2
    assert data[0]["siren"] == world.rempart.siren
    assert "sauvegardes" in data[0]["explanation"]["words"]
    assert data[0]["explanation"]["distance_km"] == 0.0
    bad = client.post(url, {"text": "x", "commune": "99999"}, content_type="application/json")
    assert bad.status_code == 422
    unknown = client.post(
        url, {"text": "site web", "commune": "99999"}, content_type="application/json"
    )
    assert unknown.status_code == 422
    assert "99999" in unknown.json()["detail"]


def test_the_poster_erases_their_contact_details(client, world):
    need = post_and_confirm(client)
    client.post(f"/besoins/suivi/{need.token}/effacer/")
    need.refresh_from_db()
    assert (need.contact_email, need.contact_phone, need.status) == ("", "", NeedStatus.CLOSED)
    assert "jeanne" not in need.contact_name.lower()
    assert need.matches.exists()  # the statistics stay


def test_an_erased_account_takes_its_needs_contact_details(client, world):
    client.force_login(world.pixel_member)
    need = post_and_confirm(client, contact_email="lea@pixel.test")
    assert need.user == world.pixel_member
    export = client.get("/comptes/mon-compte/export.json").json()
    assert export["besoins_numeriques"][0]["email"] == "lea@pixel.test"
    client.post("/comptes/mon-compte/suppression/", {"password": "motdepasse-test"})
    need.refresh_from_db()
    assert need.contact_email == ""
    assert need.user is None


def test_a_line_break_in_a_name_does_not_stop_the_advisers_being_told(client, world):
    """A subject carries the firm's name: once on one line, the mail goes (it used to raise
    BadHeaderError after the need was published, and no adviser was told)."""
    need = post_and_confirm(client, company_name="Cidrerie\r\nBcc: tous@exemple.test")
    assert need.status == NeedStatus.NEW
    told = [m for m in mail.outbox if "conseil@cci.test" in m.to]
    assert [m.subject for m in told] == [
        "[Filière] Nouveau besoin numérique : Cidrerie Bcc: tous@exemple.test"
    ]
    assert told[0].bcc == []


def test_a_formula_in_a_company_name_stays_text_in_the_advisers_export(client, world):
    post_and_confirm(client, company_name='=HYPERLINK("http://x","Cliquez")')
    client.force_login(world.cci_adviser)
    exported = client.get("/besoins/conseil/?format=csv").content.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""Cliquez"")"' in exported


def test_a_need_text_of_a_megabyte_is_refused_at_its_field(client, world):
    response = client.post("/besoins/deposer/", {**NEED, "text": "mot " * 250_000})
    assert response.status_code == 422
    assert "au plus 10" in response.content.decode()
    assert not Need.objects.exists()
