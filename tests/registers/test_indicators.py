"""The registers feed the contract's indicators: computed values beside the targets."""

from datetime import date

from django.urls import reverse

from filiere.programme.models import Indicator
from filiere.programme.selectors import indicator_rows
from tests.factories import (
    DatalabProjectFactory,
    DepartementFactory,
    HostingFactory,
    LegalUnitFactory,
    RegionFactory,
    ThirdPlaceFactory,
    TrainingPathFactory,
    UserFactory,
)


def values(contract, code: str, *days: date) -> list[float]:
    (row,) = indicator_rows(contract, Indicator.objects.filter(code=code), as_of=days[-1])
    by_day = {point.on: point.value for point in row.points}
    return [by_day[day] for day in days]


def test_third_places_labelled_count_per_calendar_year_in_the_region(normandy_contract):
    DepartementFactory(code="14")
    DepartementFactory(code="35", region=RegionFactory(code="53", name="Bretagne"))
    for decided in (date(2018, 3, 1), date(2018, 11, 2), date(2019, 2, 1)):
        ThirdPlaceFactory(status="labelled", applied_on=date(2018, 1, 1), decided_on=decided)
    ThirdPlaceFactory(status="refused", applied_on=date(2018, 1, 1), decided_on=date(2018, 5, 1))
    ThirdPlaceFactory(status="labelled", departement_code="35", decided_on=date(2018, 5, 1))
    ThirdPlaceFactory(status="applied", applied_on=date(2019, 1, 1))
    assert values(
        normandy_contract,
        "tiers-lieux-labellises",
        date(2018, 12, 31),
        date(2019, 3, 31),
    ) == [2, 1]


def test_firms_hosted_count_each_firm_once_from_the_contracts_start(normandy_contract):
    DepartementFactory(code="14")
    unit = LegalUnitFactory()
    HostingFactory(legal_unit=unit, entered_on=date(2018, 1, 15))
    # The same firm again in a later cohort, and a firm named but not in the directory.
    HostingFactory(legal_unit=unit, entered_on=date(2019, 1, 15))
    HostingFactory(firm_name="Jeune Pousse", entered_on=date(2019, 1, 15))
    HostingFactory(firm_name="Hébergée avant le contrat", entered_on=date(2016, 6, 1))
    assert values(
        normandy_contract, "entreprises-residences", date(2018, 3, 31), date(2019, 3, 31)
    ) == [1, 2]


def test_datalab_and_training_registers_are_cumulative(normandy_contract):
    DatalabProjectFactory(started_on=date(2018, 2, 1))
    DatalabProjectFactory(started_on=date(2019, 2, 1))
    TrainingPathFactory(created_on=date(2018, 2, 1))
    TrainingPathFactory(created_on=date(2016, 2, 1))
    assert values(normandy_contract, "projets-datalab", date(2018, 3, 31), date(2019, 3, 31)) == [
        1,
        2,
    ]
    assert values(normandy_contract, "parcours-formation", date(2019, 3, 31)) == [1]


def test_a_labelling_decision_moves_the_dashboard(client, normandy_contract):
    DepartementFactory(code="14")
    place = ThirdPlaceFactory(status="applied", applied_on=date(2019, 1, 10))
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    url = reverse("programme:indicator", args=[normandy_contract.slug, "tiers-lieux-labellises"])
    before = client.get(url).content.decode()
    client.post(
        reverse("registers:third_place_decide", args=[place.pk]),
        {"status": "labelled", "decided_on": "2019-06-01", "decision_note": "Dossier complet"},
    )
    after = client.get(url).content.decode()
    assert figure(before) == "0"
    assert figure(after) == "1"


def figure(page: str) -> str:
    """The "last value" figure of an indicator page."""
    start = page.index('<span class="figure">', page.index("indicator-figures"))
    return page[start:].split(">", 1)[1].split("<", 1)[0].strip()
