import pytest

from filiere.projects.enums import AidForm, AidLevel, Market
from filiere.projects.models import AidScheme
from tests.factories import CommuneFactory, DepartementFactory


@pytest.fixture
def open_world(normandy_contract, run_command):
    """The Normandy scenario and its demo budget, the registers' demo (the 168 real digital
    places of the ANCT), Montivilliers among the communes, and two published aid schemes."""
    for code in ("14", "27", "50", "61", "76"):
        DepartementFactory(code=code)
    CommuneFactory(code="76447", name="Montivilliers", postcodes=["76290"])
    run_command("load_demo_registers")
    for title, themes in (("Impulsion numérique", [Market.HEALTH]), ("Tourisme connecté", [])):
        AidScheme.objects.create(
            title=title,
            description="Accompagner les projets numériques.",
            eligibility="PME normandes.",
            form=AidForm.GRANT,
            level=AidLevel.REGIONAL,
            funder="Région Normandie",
            sizes=["PME"],
            departements=["14", "27", "50", "61", "76"],
            themes=themes,
            is_published=True,
        )
    return normandy_contract
