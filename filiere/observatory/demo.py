"""Demo register for the observatory: a generated stock of the platform's région
(``FILIERE_REGION``, Normandy for the reference case), imported like the real one.

No extract of SIRENE can be shipped, so `make run` generates one in INSEE's exact
layouts (engine.register.synthetic, fixed seed), over the région's real communes
weighted by their population, and imports it with ``is_demo`` set.
The pages say so wherever these figures appear.
"""

from pathlib import Path

from django.conf import settings

from engine.register.synthetic import Place, generate_stock
from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.models import Organisation
from filiere.directory.models import Establishment, LegalUnit
from filiere.directory.services.register import ImportResult, register_import
from filiere.observatory.services import register_imported
from filiere.territory.models import Commune
from filiere.territory.sectors import DIGITAL_SECTOR
from filiere.territory.selectors import parse_territory, site_region_code

DEMO_ROWS = 60_000
DIGITAL_SHARE = 0.14
# Common activities of the rest of the economy, with rough relative weights.
OTHER_ACTIVITIES = {
    "47.11F": 3,
    "56.10A": 5,
    "43.21A": 4,
    "68.20A": 6,
    "70.22Z": 5,
    "86.21Z": 3,
    "96.02A": 4,
    "01.50Z": 3,
    "45.20A": 2,
    "41.20A": 2,
    "49.41A": 2,
    "10.71C": 2,
    "55.10Z": 2,
    "85.59A": 3,
    "69.20Z": 2,
    "71.12B": 2,
    "74.10Z": 2,
    "93.12Z": 2,
    "94.99Z": 6,
    "81.21Z": 1,
    "47.71Z": 3,
    "43.99C": 2,
    "46.90Z": 2,
    "64.20Z": 4,
    "90.01Z": 2,
}
DIGITAL_WEIGHTS = {
    "62.01Z": 30,
    "62.02A": 20,
    "62.09Z": 8,
    "63.11Z": 6,
    "58.29C": 6,
    "46.51Z": 6,
    "61.10Z": 3,
    "95.11Z": 8,
    "62.03Z": 3,
    "63.12Z": 3,
    "26.12Z": 1,
    "26.20Z": 1,
    "61.20Z": 2,
    "58.21Z": 2,
    "46.52Z": 1,
    "95.12Z": 1,
    "62.02B": 1,
}


def demo_register_loaded() -> bool:
    territory = parse_territory(f"region:{site_region_code()}")
    return Establishment.objects.filter(
        departement_code__in=territory.departements, is_demo=True
    ).exists()


def demo_register_load(*, rows: int = DEMO_ROWS, seed: int = 28, on_batch=lambda n: None):
    territory = parse_territory(f"region:{site_region_code()}")
    places = [
        Place(commune_code=code, postcode=(postcodes or [""])[0], name=name, weight=population)
        for code, name, postcodes, population in Commune.objects.current()
        .filter(departement__code__in=territory.departements, population__gt=0)
        .values_list("code", "name", "postcodes", "population")
    ]
    digital_codes = {code for code, _comment in DIGITAL_SECTOR["codes"]}
    assert set(DIGITAL_WEIGHTS) <= digital_codes
    digital_total, other_total = sum(DIGITAL_WEIGHTS.values()), sum(OTHER_ACTIVITIES.values())
    weights = {code: DIGITAL_SHARE * w / digital_total for code, w in DIGITAL_WEIGHTS.items()}
    weights |= {code: (1 - DIGITAL_SHARE) * w / other_total for code, w in OTHER_ACTIVITIES.items()}
    directory = Path(settings.VAR_DIR) / "demo-sirene"
    stock = generate_stock(
        directory, rows=rows, places=places, naf_weights=weights, seed=seed, name_prefix="DÉMO"
    )
    result: ImportResult = register_import(
        establishment_files=[stock.establishments],
        legal_unit_files=[stock.legal_units],
        departements=territory.departements,
        territory_label=f"{territory.label} (démo)",
        is_demo=True,
        on_batch=on_batch,
    )
    _give_the_demo_company_its_entry()
    register_imported(departements=territory.departements)
    return result


def _give_the_demo_company_its_entry() -> None:
    """The demo company's members (see load_demo_data) edit one generated firm's profile."""
    company = Organisation.objects.filter(slug=DEMO_COMPANY_SLUG).first()
    unit = (
        LegalUnit.objects.filter(is_demo=True, status="A", establishments__naf="62.01Z")
        .order_by("siren")
        .first()
    )
    if company is None or unit is None:
        return
    Organisation.objects.filter(pk=company.pk).update(siren=unit.siren)
    # The firm bears the company's name, so that its members, its projects and its offer all
    # say « Atelier Pixel (démo) » rather than a generated name beside it.
    LegalUnit.objects.filter(pk=unit.pk).update(
        organisation=company,
        name=company.name,
        description="Entreprise de démonstration : développement web et applications métier.",
    )
