"""A label a firm requests stays hidden from the public until the body that grants it does."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from filiere.accounts.enums import OrganisationKind, Role
from filiere.directory.models import Label
from tests.browser.conftest import serious_violations
from tests.factories import (
    EstablishmentFactory,
    LegalUnitFactory,
    OrganisationFactory,
    member,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def firm(transactional_db):
    tes = OrganisationFactory(
        slug="pole-tes", name="Pôle TES", short_name="TES", kind=OrganisationKind.CLUSTER
    )
    member(tes, Role.COORDINATOR, email="coordination@tes.test")
    Label.objects.create(
        slug="membre-pole-tes", name="Membre du Pôle TES", kind="cluster", granted_by=tes
    )
    organisation = OrganisationFactory(slug="bocage", name="Logiciels du Bocage")
    member(organisation, Role.COMPANY_MEMBER, email="lea@bocage.test")
    unit = LegalUnitFactory(name="Logiciels du Bocage", organisation=organisation)
    EstablishmentFactory(legal_unit=unit, name="Logiciels du Bocage", city="CAEN")
    return unit


def test_a_requested_label_shows_only_once_the_granting_body_grants_it(open_page, firm):
    firm_page = f"/annuaire/{firm.siren}/"
    filtered = "/annuaire/?label=membre-pole-tes"

    lea = open_page("lea@bocage.test")
    lea.goto(firm_page)
    lea.get_by_label(re.compile("^Label")).select_option(
        label="Membre du Pôle TES (accordé par Pôle TES)"
    )
    lea.get_by_label("Message à l'organisme (facultatif)").fill("Adhérents depuis mars 2019.")
    lea.get_by_role("button", name="Demander le label").click()
    expect(lea.get_by_role("status")).to_contain_text(
        "le label s'affichera une fois accordé par Pôle TES"
    )
    expect(lea.locator("#label-requests")).to_contain_text(
        re.compile(r"Membre du Pôle TES\s+En attente")
    )
    expect(lea.locator("#granted-labels")).not_to_contain_text("Membre du Pôle TES")
    assert serious_violations(lea) == []

    public = open_page()
    public.goto(firm_page)
    expect(public.locator("#granted-labels")).not_to_contain_text("Membre du Pôle TES")
    expect(public.locator("#label-requests")).to_have_count(0)
    public.goto(filtered)
    expect(public.locator("#results")).to_contain_text("Aucun établissement")

    tes = open_page("coordination@tes.test")
    tes.get_by_role("link", name="Demandes de label").click()
    row = tes.get_by_role("row", name=re.compile("Logiciels du Bocage"))
    expect(row).to_contain_text("Adhérents depuis mars 2019.")
    expect(row).to_contain_text("En attente")
    assert serious_violations(tes) == []
    row.get_by_label("Motif (obligatoire pour refuser)").fill("Adhésion 2019 vérifiée.")
    row.get_by_role("button", name="Accorder").click()
    expect(tes.get_by_role("status")).to_contain_text(
        "Label « Membre du Pôle TES » accordé à Logiciels du Bocage."
    )
    expect(tes.get_by_role("row", name=re.compile("Logiciels du Bocage"))).to_contain_text(
        "Accordé"
    )
    assert any("lea@bocage.test" in m.to and "accordé" in m.subject for m in mail.outbox)

    public.goto(firm_page)
    expect(public.locator("#granted-labels")).to_contain_text("Membre du Pôle TES")
    public.goto("/annuaire/")
    public.get_by_label(re.compile("^Label")).select_option(label="Membre du Pôle TES")
    public.get_by_role("button", name="Rechercher").click()
    expect(public.locator("#results")).to_contain_text("1 établissement trouvé")
    expect(public.locator("#results")).to_contain_text("Logiciels du Bocage")

    lea.reload()
    expect(lea.locator("#label-requests")).to_contain_text("Adhésion 2019 vérifiée.")
