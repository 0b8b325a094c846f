"""In the browser: a new firm's admin creates an API key from the team page, sees its secret
once and revokes it; the need form embedded in another site's page posts a need with the
partner's campaign from inside its frame."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from playwright.sync_api import expect

from filiere.needs.models import Need
from tests.browser.test_teams import sign_up
from tests.factories import CommuneFactory, EstablishmentFactory, LegalUnitFactory
from tests.processes import free_port
from tests.worlds import matching_world

pytestmark = pytest.mark.browser


def test_a_new_firms_admin_creates_a_key_sees_it_once_and_revokes_it(
    page, live_server, transactional_db, axe_violations
):
    unit = LegalUnitFactory(name="Bocage Numérique", website="https://www.bocage-numerique.fr")
    EstablishmentFactory(legal_unit=unit, is_head_office=True, commune=CommuneFactory())
    # The first member of the firm, by her address's domain: she runs its team.
    sign_up(page, "claire@bocage-numerique.fr")
    page.goto(f"/annuaire/{unit.siren}/")
    page.get_by_role("link", name="Rejoindre son équipe").click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.goto("/comptes/mon-compte/")
    page.locator("#my-teams").get_by_role("link", name="Bocage Numérique").click()

    page.get_by_role("link", name="Clés d'API et formulaire à intégrer").click()
    expect(page.locator("#embed-snippet")).to_contain_text("/besoins/integrer/?campagne=")
    page.get_by_label("Nom de la clé").fill("Notre site")
    page.get_by_label("lecture des données publiées").check()
    page.get_by_role("button", name="Créer la clé").click()
    secret = page.locator("#new-key-secret").inner_text().strip()
    assert secret.startswith("flr_")
    assert axe_violations() == []
    api = f"{live_server.url}/api/contracts/"
    auth = {"Authorization": f"Bearer {secret}"}
    assert requests.get(api, headers=auth, timeout=10).status_code == 200

    # Shown once: the page read again no longer holds it.
    page.goto(page.url)
    expect(page.locator("#api-keys")).to_contain_text("Notre site")
    assert secret not in page.content()
    expect(page.locator("#api-calls")).to_contain_text("GET /api/contracts/")

    page.locator("#api-keys tr", has_text="Notre site").get_by_role(
        "button", name="Révoquer"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("est révoquée")
    expect(page.locator("#api-keys")).to_contain_text("Révoquée le")
    refused = requests.get(api, headers=auth, timeout=10)
    assert refused.status_code == 401
    assert "révoquée" in json.loads(refused.content)["detail"]


@pytest.fixture
def partner_site(live_server):
    """Another origin (127.0.0.1 on its own port, the live server being localhost) whose page
    frames the need form with its campaign."""
    framed = f"{live_server.url}/besoins/integrer/?campagne=salon-2018"
    body = (
        "<!DOCTYPE html><html lang='fr'><head><title>Partenaire</title></head><body>"
        "<h1>Le site du partenaire</h1>"
        f"<iframe src='{framed}' title='Besoin' width='900' height='1600'></iframe>"
        "</body></html>"
    ).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_embedded_form_posts_a_need_with_the_campaign_from_another_site(
    page, partner_site, transactional_db
):
    matching_world()
    page.goto(partner_site)
    expect(page.get_by_role("heading", name="Le site du partenaire")).to_be_visible()
    form = page.frame_locator("iframe")
    form.get_by_label("Votre besoin").fill(
        "Nous voulons vendre nos cidres en ligne : une boutique avec paiement"
    )
    form.get_by_label("Domaine").select_option("web")
    form.get_by_label("Commune").fill("Caen (14118)")
    form.get_by_label("Entreprise ou projet").fill("Cidrerie du Bocage")
    form.get_by_label("Entreprise en création").check()
    form.get_by_label("Nom et prénom").fill("Jeanne Lemoine")
    form.get_by_label("E-mail").fill("jeanne@cidrerie.test")
    form.get_by_label("J'accepte").check()
    form.get_by_role("button", name="Déposer mon besoin").click()
    expect(form.get_by_role("status")).to_contain_text("Votre besoin est enregistré")
    need = Need.objects.get()
    assert (need.campaign, need.company_name) == ("salon-2018", "Cidrerie du Bocage")
