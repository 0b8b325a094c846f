"""The offices' activity in the browser: the demo CCI's manager reads it and downloads its CSV;
a colleague they make an admin of the team on the team page then finds it in the menu."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from filiere.accounts.enums import Role
from filiere.accounts.models import Organisation
from filiere.directory.models import LegalUnit
from filiere.support.enums import Subject, SupportStatus
from filiere.support.models import SupportNeed
from tests.factories import LegalUnitFactory, member

pytestmark = pytest.mark.browser


def at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day).replace(hour=10))


@pytest.fixture
def cci(scenario):
    """The demo CCI, which received three finance needs in spring 2019 and took two."""
    cci = Organisation.objects.get(slug="cci-normandie")
    unit = LegalUnit.objects.first() or LegalUnitFactory()
    for created, taken, status, rating in [
        ("2019-05-03", "2019-05-06", SupportStatus.DONE, 5),
        ("2019-05-06", "2019-05-20", SupportStatus.TAKEN, None),
        ("2019-06-03", None, SupportStatus.NEW, None),
    ]:
        need = SupportNeed.objects.create(
            legal_unit=unit,
            subject=Subject.FINANCE,
            description="Plan de financement",
            departement_code="14",
            created_at=at(created),
            taken_office=cci if taken else None,
            taken_at=at(taken) if taken else None,
            status=status,
            satisfaction=rating,
        )
        need.offices.set([cci])
    return cci


def test_an_office_manager_reads_the_activity_and_downloads_its_csv(
    page, login, open_page, cci, axe_violations
):
    login("conseil@cci.demo.filiere.fr")
    page.get_by_role("link", name="Activité des bureaux").click()
    page.get_by_label(re.compile(r"^Du\b")).fill("2019-04-01")
    page.get_by_label(re.compile(r"^Au\b")).fill("2019-06-30")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", name="Évolution par trimestre")).to_be_visible()
    row = page.get_by_role("row", name="CCI")
    expect(row).to_contain_text("Ingénierie financière")
    expect(page.locator("canvas[data-chart]")).to_have_attribute("data-drawn", "1")
    assert axe_violations() == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    assert download.value.suggested_filename == "activite-des-bureaux.csv"
    lines = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    assert cells[:8] == ["CCI", "cci-normandie", "Ingénierie financière", "finance"] + [
        "3",
        "2",
        "1",
        "33,3",
    ]
    assert len(lines) == 2

    # A colleague made an admin of the office's team on its team page reads it too.
    colleague = member(cci, Role.ADVISER, email="nina@cci.test", first_name="Nina")
    page.goto("/comptes/organisations/cci-normandie/equipe/")
    row = page.locator("tr", has_text="nina@cci.test")
    row.get_by_label("Administrateur·rice de l'équipe").check()
    row.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("tr", has_text="nina@cci.test")).to_be_visible()
    assert colleague.memberships.get().is_admin

    nina = open_page("nina@cci.test")
    nina.get_by_role("link", name="Activité des bureaux").click()
    expect(nina.get_by_role("heading", level=1)).to_have_text("Activité des bureaux")
    expect(nina.get_by_role("row", name="CCI")).to_contain_text("Ingénierie financière")
