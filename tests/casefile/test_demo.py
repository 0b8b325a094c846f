from io import StringIO

import pytest
from django.core.management import call_command

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.casefile.models import CaseNote
from filiere.support.models import SupportNeed
from tests.factories import CommuneFactory, LegalUnitFactory, OrganisationFactory


def load() -> str:
    out = StringIO()
    call_command("load_demo_casefile", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_demo_firm_gets_its_case_file_once():
    assert "chargez d'abord le scénario" in load()
    CommuneFactory()
    firm = LegalUnitFactory(organisation=OrganisationFactory(slug=DEMO_COMPANY_SLUG), is_demo=True)
    OrganisationFactory(slug="cci-normandie")
    OrganisationFactory(slug="pole-tes")
    assert "dossier de l'entreprise démo" in load()
    assert "démo déjà chargée" in load()
    assert CaseNote.objects.filter(legal_unit=firm, is_demo=True).count() == 1
    assert SupportNeed.objects.filter(legal_unit=firm, is_demo=True).count() == 1
    assert firm.led_projects.count() == 1
    assert firm.hostings.filter(is_demo=True).count() == 1
