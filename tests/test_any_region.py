"""Any Region, any contract: the Normandy contract, exported, moved to Bretagne (région 53) and
imported into an empty database with the national reference data, runs there — its dashboard,
the observatory and its maps, the need form and its matching, the routing rules."""

import re

import pytest
import yaml
from django.core import mail
from django.core.management import call_command

from filiere.accounts.enums import OrganisationKind, Role
from filiere.accounts.models import Organisation
from filiere.directory.models import Establishment, LegalUnit
from filiere.needs.enums import NeedStatus
from filiere.needs.models import Need
from filiere.programme.models import Contract
from filiere.support.enums import Subject, TradeRegister
from filiere.support.models import RoutingRule, SupportNeed
from filiere.territory.sectors import DEFAULT_SECTOR, DIGITAL_SECTOR
from filiere.territory.services import sector_definition_install
from tests.factories import OrganisationFactory, member

BRITTANY = {"22", "29", "35", "56"}
SLUG = "bretagne-numerique-2017"

# The whole database is emptied between the two halves: the test commits.
pytestmark = pytest.mark.django_db(transaction=True)


def _exported_normandy_contract(run_command, tmp_path) -> dict:
    run_command("load_reference_data", "--regions", "28")
    run_command("load_scenario", "normandie-numerique-2017")
    path = tmp_path / "normandie.yaml"
    run_command("export_contract", "normandie-numerique-2017", "--out", str(path))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _moved_to_brittany(document: dict, tmp_path):
    document["contrat"]["identifiant"] = SLUG
    document["contrat"]["région"] = "53"
    document["contrat"]["commune_signature"] = "35238"
    # Its owner is Bretagne's council, seated in Rennes: Normandy's officers steer Normandy's.
    owner = next(o for o in document["organisations"] if o["identifiant"] == "region-normandie")
    owner.update(nom="Région Bretagne", commune="35238")
    del owner["siren"], owner["siret"]
    text = yaml.safe_dump(document, allow_unicode=True)
    path = tmp_path / "bretagne.yaml"
    path.write_text(text.replace("region-normandie", "region-bretagne"), encoding="utf-8")
    return path


def _need_link(message, name: str) -> str:
    return re.search(rf"https?://[^/\s]+(/besoins/{name}/[^\s]+/)", message.body).group(1)


def test_the_normandy_contract_moved_to_brittany_runs_there(
    client, run_command, settings, tmp_path
):
    document = _exported_normandy_contract(run_command, tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    assert not Contract.objects.exists()
    # What the migrations write into a new database, which the flush removed.
    sector_definition_install(spec=DIGITAL_SECTOR)

    settings.FILIERE_REGION = "53"
    run_command("load_reference_data")
    out, _ = run_command("import_contract", str(_moved_to_brittany(document, tmp_path)))
    contract = Contract.objects.select_related("region", "owner").get(slug=SLUG)
    assert contract.region.name == "Bretagne"
    assert contract.owner.name == "Région Bretagne"
    assert contract.axes.count() == 4
    run_command("load_demo_register", "--rows", "3000")
    assert set(Establishment.objects.values_list("departement_code", flat=True)) == BRITTANY
    run_command("load_demo_needs")

    # The contract's dashboard computes its register indicators on Bretagne's firms.
    response = client.get(f"/contrats/{SLUG}/")
    assert response.status_code == 200
    rows = {row.indicator.code: row for row in response.context["overview"].indicator_rows}
    assert rows["etablissements-filiere"].points[-1].value > 0
    assert rows["emplois-filiere"].points[-1].value > 0

    # The observatory opens on Bretagne, and its maps draw Breton départements and communes.
    page = client.get("/observatoire/")
    assert page.status_code == 200
    assert page.context["form"].cleaned()["territory"] == "region:53"
    query = {"territory": "region:53", "sector": DEFAULT_SECTOR}
    departements = client.get("/observatoire/departements.geojson", query).json()
    assert {f["properties"]["code"] for f in departements["features"]} == BRITTANY
    assert sum(f["properties"]["value"] for f in departements["features"]) > 0
    communes = client.get("/observatoire/commune.geojson", query).json()
    codes = {f["properties"]["code"] for f in communes["features"]}
    assert "35238" in codes  # Rennes
    assert {code[:2] for code in codes} == BRITTANY

    # The Region's officer, and the advisers of a Breton office.
    owner = Organisation.objects.get(pk=contract.owner_id)
    officer = member(owner, Role.PROGRAMME_OFFICER, email="officier@bretagne.test")
    office = OrganisationFactory(
        slug="cci-bretagne", name="CCI Bretagne", kind=OrganisationKind.CHAMBER_OF_COMMERCE
    )
    member(office, Role.ADVISER, email="conseil@cci-bretagne.test")

    # A Rennes business posts a need; Breton providers are suggested, Breton advisers told.
    form = client.get("/besoins/deposer/").content.decode()
    assert "Rennes (35238)" in form
    assert "Caen (14118)" not in form
    client.post(
        "/besoins/deposer/",
        {
            "text": "Nous voulons vendre en ligne : un site avec paiement et gestion des stocks",
            "domain": "web",
            "budget": "5k_20k",
            "place": "Rennes (35238)",
            "company_name": "Crêperie du Thabor",
            "is_creator": "on",
            "contact_name": "Anne Le Gall",
            "contact_email": "anne@creperie.test",
            "consent": "on",
        },
    )
    client.post(_need_link(mail.outbox[-1], "confirmer"))
    need = Need.objects.get(contact_email="anne@creperie.test")
    assert need.status == NeedStatus.NEW
    assert need.departement_code == "35"
    providers = [match.legal_unit_id for match in need.matches.all()]
    assert providers
    assert (
        set(
            Establishment.objects.filter(legal_unit__in=providers).values_list(
                "departement_code", flat=True
            )
        )
        <= BRITTANY
    )
    assert "conseil@cci-bretagne.test" in {a for m in mail.outbox for a in m.to}

    # The Region's officer routes Ille-et-Vilaine's financing needs to a Breton office.
    client.force_login(officer)
    rules = client.get("/accompagnement/regles/")
    choices = dict(rules.context["form"].fields["departement"].choices)
    assert set(choices) - {""} == BRITTANY
    response = client.post(
        "/accompagnement/regles/",
        {"subject": Subject.FINANCE, "departement": "35", "office": office.pk},
    )
    assert response.status_code in (200, 302)
    assert RoutingRule.objects.get(departement="35").office == office

    firm = LegalUnit.objects.filter(
        establishments__is_head_office=True, establishments__departement_code="35"
    ).first()
    mail.outbox.clear()
    client.post(
        "/accompagnement/nouveau/",
        {
            "siren": firm.siren,
            "subject": Subject.FINANCE,
            "description": "Financer un nouvel atelier",
            "register": TradeRegister.TRADE,
            "contact_name": "Yann Kerjean",
            "contact_email": "yann@example.test",
        },
    )
    support = SupportNeed.objects.get()
    assert support.departement_code == "35"
    assert list(support.offices.all()) == [office]
    assert {a for m in mail.outbox for a in m.to} >= {"conseil@cci-bretagne.test"}
