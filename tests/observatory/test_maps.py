"""The observatory's maps and territories outside Normandy: the outlines read are those of
the territory shown, the territories offered those of the platform and its contracts."""

import pytest
from django.urls import reverse

from filiere.territory.models import Commune
from tests.factories import ContractFactory, DepartementFactory, EstablishmentFactory, RegionFactory

pytestmark = pytest.mark.django_db

BRITTANY = ("22", "29", "35", "56")


def test_a_brittany_territory_maps_breton_communes(client, settings, run_command):
    settings.FILIERE_REGION = "53"
    run_command("load_reference_data", "--regions", "53")
    rennes = Commune.objects.current().get(code="35238")
    for _n in range(2):
        EstablishmentFactory(departement_code="35", commune_code="35238", commune=rennes)

    first = client.get(reverse("observatory:home"))
    assert first.context["values"]["territory"] == "region:53"
    params = {"territory": "region:53", "sector": "", "level": "commune"}

    shapes = client.get(reverse("observatory:communes", args=["commune"]), params).json()
    features = {f["properties"]["code"]: f for f in shapes["features"]}
    assert {code[:2] for code in features} == set(BRITTANY)
    # Every outline is of a 2026 commune (the 2018 polygons of merged communes drawn as the
    # commune they became), and every Breton commune has one.
    current = set(Commune.objects.current().values_list("code", flat=True))
    assert set(features) == current
    assert features["35238"]["properties"] == {"code": "35238", "name": "Rennes", "value": 2}
    assert features["35238"]["geometry"]["type"] == "MultiPolygon"

    by_epci = client.get(reverse("observatory:communes", args=["epci"]), params).json()
    rennes_shape = next(f for f in by_epci["features"] if f["properties"]["code"] == "35238")
    assert rennes_shape["properties"] == {"code": "35238", "name": "Rennes Métropole", "value": 2}

    departements = client.get(reverse("observatory:departements"), params).json()
    assert sorted(f["properties"]["code"] for f in departements["features"]) == list(BRITTANY)
    assert {f["properties"]["value"] for f in departements["features"]} == {0, 2}


def test_the_territories_offered_are_the_platform_s_region_and_its_contracts(client, settings):
    settings.FILIERE_REGION = "28"
    normandy = RegionFactory(code="28", name="Normandie")
    brittany = RegionFactory(code="53", name="Bretagne")
    RegionFactory(code="11", name="Île-de-France")
    DepartementFactory(code="14", region=normandy)
    DepartementFactory(code="35", region=brittany)
    DepartementFactory(code="75", region__code="11")
    ContractFactory(region=brittany)

    form = client.get(reverse("observatory:home")).context["form"]
    choices = [value for value, _label in form.fields["territory"].choices]
    # No commune is loaded: what is offered does not depend on what was loaded.
    assert choices == ["region:28", "region:53", "dep:14", "dep:35"]
