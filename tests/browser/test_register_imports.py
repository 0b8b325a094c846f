"""A programme officer imports SIRENE stock files from the observatory's page and follows
the import to its summary."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from engine.register.synthetic import Place, generate_stock
from filiere.accounts.enums import Role
from filiere.directory.models import Establishment
from filiere.observatory import tasks
from tests.factories import DepartementFactory, OrganisationFactory, RegionFactory, member
from tests.worlds import PASSWORD

pytestmark = pytest.mark.browser


def test_an_officer_uploads_a_stock_and_sees_the_import_finish(
    page, login, transactional_db, tmp_path, monkeypatch, axe_violations
):
    DepartementFactory(code="14", name="Calvados", region=RegionFactory(code="28"))
    officer = member(
        OrganisationFactory(kind="regional_council"),
        Role.PROGRAMME_OFFICER,
        email="officiere@region.test",
    )
    stock = generate_stock(
        tmp_path, rows=25, places=[Place("14118", "14000", "Caen", 1.0)], naf_weights={"62.01Z": 1}
    )
    # The queue holds the import until the test, as a worker would, takes it: the page waits
    # for it, then follows it to its end.
    queued: list[int] = []
    worker = tasks.import_register
    monkeypatch.setattr(tasks, "import_register", SimpleNamespace(delay=queued.append))

    login(officer.email, PASSWORD)
    page.goto("/observatoire/")
    page.get_by_role("link", name="Imports du registre").click()
    page.get_by_label("Fichier des établissements").set_input_files(stock.establishments)
    page.get_by_label("Fichier des unités légales").set_input_files(stock.legal_units)
    page.get_by_label("Territoire").fill("28")
    page.get_by_role("button", name="Lancer l'import").click()

    status = page.locator("#import-status")
    expect(status).to_contain_text("En attente d'un worker")
    expect(page.get_by_role("button", name="Annuler l'import")).to_be_visible()
    assert not axe_violations()

    worker.delay(queued[0])

    expect(status).to_contain_text("Terminé")
    created = Establishment.objects.count()
    assert created > 0
    expect(page.locator("#import-summary")).to_contain_text(f"Établissements créés {created}")
    expect(page.get_by_role("button", name="Annuler l'import")).to_have_count(0)
    page.get_by_role("link", name="Imports du registre").click()
    expect(page.get_by_role("table")).to_contain_text("Terminé")
