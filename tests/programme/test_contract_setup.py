"""Officers set a contract up from the pages and edit every part of it, with its history;
only the owner's officers do, and removing a part is refused once something is recorded
against it."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.accounts.enums import OrganisationKind, Role
from filiere.common.formats import format_value
from filiere.common.refusals import Refused
from filiere.programme import contract_setup as setup
from filiere.programme.access import (
    can_create_contract,
    can_edit_contract,
    can_edit_strategy,
    owner_choices,
)
from filiere.programme.models import Action, Axis, Contract, Indicator
from tests.factories import (
    ActionFactory,
    AllocationFactory,
    AxisFactory,
    CommuneFactory,
    ContractFactory,
    DepartementFactory,
    IndicatorFactory,
    MeasurementFactory,
    OrganisationFactory,
    RegionFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def brittany():
    return OrganisationFactory(
        slug="region-bretagne", name="Région Bretagne", kind=OrganisationKind.REGIONAL_COUNCIL
    )


@pytest.fixture
def officer(brittany):
    RegionFactory(code="53", name="Bretagne")
    return member(brittany, Role.PROGRAMME_OFFICER)


def contract_values(**overrides) -> dict:
    values = {
        "title": "Contrat Mer et littoral",
        "slug": "",
        "sector": "Économie de la mer",
        "observed_sector": "numerique",
        "region": RegionFactory(code="53", name="Bretagne").pk,
        "aim": "Faire grandir la filière.",
        "start_date": "2024-01-01",
        "end_date": "2026-12-31",
        "budget_eur": "500000",
        "signed_on": "",
        "signing_place": "",
        "signing_commune": "",
        "strategy": "",
    }
    return values | overrides


def test_an_officer_creates_a_contract_unpublished_with_a_suggested_slug(client, officer, brittany):
    client.force_login(officer)
    response = client.post(reverse("programme:contract_create"), contract_values(owner=brittany.pk))
    contract = Contract.objects.get(title="Contrat Mer et littoral")
    assert response.status_code == 302
    assert response.url == reverse("programme:setup", args=[contract.slug])
    assert contract.slug == "contrat-mer-et-littoral"
    assert contract.owner == brittany
    assert not contract.is_published
    assert contract.history.count() == 1
    # The same title again gets the next free identifier.
    assert setup.suggested_slug("Contrat Mer et littoral") == "contrat-mer-et-littoral-2"


def test_a_contract_is_owned_by_an_organisation_of_its_creator(client, officer):
    """Its owner's officers steer it: the creator picks one of their own organisations."""
    other = OrganisationFactory(kind=OrganisationKind.REGIONAL_COUNCIL)
    client.force_login(officer)
    response = client.post(reverse("programme:contract_create"), contract_values(owner=other.pk))
    assert response.status_code == 422
    assert "owner" in response.context["form"].errors
    assert not Contract.objects.exists()
    assert list(owner_choices(officer)) == [officer.memberships.get().organisation]


def test_a_regions_officers_steer_only_their_regions_contracts(client, officer, brittany):
    """An owner seated in Bretagne owns Breton contracts only: its officers would otherwise
    steer another Region's."""
    brittany.commune = CommuneFactory(
        code="35238",
        name="Rennes",
        departement=DepartementFactory(code="35", region=RegionFactory(code="53")),
    )
    brittany.save()
    normandy = RegionFactory(code="28", name="Normandie")
    client.force_login(officer)
    url = reverse("programme:contract_create")
    response = client.post(url, contract_values(owner=brittany.pk, region=normandy.pk))
    assert response.status_code == 422
    assert "autre région" in " ".join(response.context["form"].errors["region"])
    assert not Contract.objects.exists()
    assert client.post(url, contract_values(owner=brittany.pk)).status_code == 302


def test_an_owner_with_no_seat_recorded_steers_the_region_of_its_contracts(client, officer):
    """With no seat recorded, an owner's first contract says its région: the next ones are
    of that région too."""
    owner = officer.memberships.get().organisation
    assert owner.commune_id is None
    normandy = RegionFactory(code="28", name="Normandie")
    client.force_login(officer)
    url = reverse("programme:contract_create")
    assert client.post(url, contract_values(owner=owner.pk)).status_code == 302  # Bretagne
    response = client.post(url, contract_values(owner=owner.pk, region=normandy.pk, title="B"))
    assert response.status_code == 422
    assert "autre région" in " ".join(response.context["form"].errors["region"])
    assert client.post(url, contract_values(owner=owner.pk, title="C")).status_code == 302


def test_bad_contract_values_are_refused_on_their_field(client, officer, brittany):
    ContractFactory(slug="pris")
    client.force_login(officer)
    url = reverse("programme:contract_create")
    cases = {
        "slug": {"slug": "pris"},
        "end_date": {"end_date": "2023-01-01"},
        "budget_eur": {"budget_eur": "-3"},
        "signing_commune": {"signing_commune": "99999"},
        "title": {"title": ""},
    }
    for field, change in cases.items():
        response = client.post(url, contract_values(owner=brittany.pk, **change))
        assert response.status_code == 422, field
        assert field in response.context["form"].errors, field
    assert Contract.objects.count() == 1


def test_only_programme_officers_may_create(client, brittany):
    coordinator = member(brittany, Role.COORDINATOR)
    assert not can_create_contract(coordinator)
    client.force_login(coordinator)
    assert client.get(reverse("programme:contract_create")).status_code == 403
    client.logout()
    assert client.get(reverse("programme:contract_create")).status_code == 403


def editing_urls(contract, axis, action, indicator, actor_pk) -> list[tuple[str, str]]:
    slug = contract.slug
    return [
        ("get", reverse("programme:setup", args=[slug])),
        ("get", reverse("programme:contract_edit", args=[slug])),
        ("post", reverse("programme:contract_edit", args=[slug])),
        ("post", reverse("programme:publish", args=[slug])),
        ("post", reverse("programme:actor_add", args=[slug])),
        ("get", reverse("programme:actor", args=[slug, actor_pk])),
        ("post", reverse("programme:actor", args=[slug, actor_pk])),
        ("post", reverse("programme:axis_add", args=[slug])),
        ("get", reverse("programme:axis_edit", args=[slug, axis.number])),
        ("post", reverse("programme:axis_edit", args=[slug, axis.number])),
        ("post", reverse("programme:axis_delete", args=[slug, axis.number])),
        ("post", reverse("programme:action_add", args=[slug])),
        ("get", reverse("programme:action_edit", args=[slug, action.code])),
        ("post", reverse("programme:action_edit", args=[slug, action.code])),
        ("post", reverse("programme:action_delete", args=[slug, action.code])),
        ("post", reverse("programme:partner_add", args=[slug, action.code])),
        ("post", reverse("programme:partner_remove", args=[slug, action.code, 1])),
        ("post", reverse("programme:indicator_add", args=[slug])),
        ("get", reverse("programme:indicator_edit", args=[slug, indicator.code])),
        ("post", reverse("programme:indicator_edit", args=[slug, indicator.code])),
        ("post", reverse("programme:indicator_delete", args=[slug, indicator.code])),
        ("get", reverse("programme:strategy", args=[slug])),
        ("post", reverse("programme:strategy", args=[slug])),
        ("post", reverse("programme:pillar_add", args=[slug])),
        ("get", reverse("programme:pillar", args=[slug, 1])),
        ("post", reverse("programme:pillar", args=[slug, 1])),
        ("post", reverse("programme:pillar_delete", args=[slug, 1])),
        ("post", reverse("programme:pillar_commitment_add", args=[slug, 1])),
        ("get", reverse("programme:pillar_commitment", args=[slug, 1, 1])),
        ("post", reverse("programme:pillar_commitment", args=[slug, 1, 1])),
        ("post", reverse("programme:pillar_commitment_delete", args=[slug, 1, 1])),
    ]


def test_an_officer_of_another_region_gets_403_on_every_editing_url(client, officer):
    normandy = ContractFactory()  # published, owned by another Region's council
    axis = AxisFactory(contract=normandy)
    action = ActionFactory(axis=axis)
    indicator = IndicatorFactory(contract=normandy)
    actor = setup.actor_add(contract=normandy, organisation=normandy.owner, role="funder")
    strategy = setup.strategy_create(contract=normandy, title="Normandie numérique")
    pillar = setup.pillar_create(strategy=strategy, number=1, title="Infrastructures")
    setup.pillar_commitment_create(pillar=pillar, position=1, label="Fibre partout")
    normandy.refresh_from_db()
    assert not can_edit_contract(officer, normandy)
    client.force_login(officer)
    for method, url in editing_urls(normandy, axis, action, indicator, actor.pk):
        response = getattr(client, method)(url, {"reason": "x", "title": "Pris"})
        assert response.status_code == 403, url
    assert Contract.objects.get(pk=normandy.pk).title == normandy.title
    # Its own officers reach every one of the pages.
    client.force_login(member(normandy.owner, Role.PROGRAMME_OFFICER))
    for method, url in editing_urls(normandy, axis, action, indicator, actor.pk):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_the_contracts_own_fields_are_edited_with_a_reason_and_keep_its_address(
    client, officer, brittany
):
    client.force_login(officer)
    client.post(reverse("programme:contract_create"), contract_values(owner=brittany.pk))
    contract = Contract.objects.get()
    url = reverse("programme:contract_edit", args=[contract.slug])
    changed = contract_values(title="Contrat Mer, littoral et ports", reason="Intitulé signé")
    response = client.post(url, changed)  # the identifier left empty stays as it was
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.title, contract.slug) == (
        "Contrat Mer, littoral et ports",
        "contrat-mer-et-littoral",
    )
    page = client.get(url).content.decode()
    assert "Intitulé signé" in page
    assert "<ins>Contrat Mer, littoral et ports</ins>" in page


def test_parts_are_added_inline_and_edited_with_their_history(client, officer, brittany):
    contract = ContractFactory(owner=brittany, region=RegionFactory(code="53"), unpublished=True)
    client.force_login(officer)
    slug = contract.slug
    htmx = {"HTTP_HX_REQUEST": "true"}
    response = client.post(
        reverse("programme:axis_add", args=[slug]), {"number": "1", "title": "Former"}, **htmx
    )
    assert response.status_code == 200
    assert "Former" in response.content.decode()
    axis = Axis.objects.get(contract=contract)
    response = client.post(
        reverse("programme:action_add", args=[slug]),
        {"axis": axis.pk, "code": "1.1", "title": "Écoles", "is_published": "on"},
        **htmx,
    )
    assert response.status_code == 200
    action = Action.objects.get(axis=axis)
    # The same code twice: refused on its field.
    response = client.post(
        reverse("programme:action_add", args=[slug]),
        {"axis": axis.pk, "code": "1.1", "title": "Encore"},
        **htmx,
    )
    assert response.status_code == 422
    assert response.context["action_form"].errors["code"]
    # A code its address cannot carry: refused on its field.
    response = client.post(
        reverse("programme:action_add", args=[slug]),
        {"axis": axis.pk, "code": "1/2", "title": "Barre oblique"},
        **htmx,
    )
    assert response.status_code == 422
    assert "Lettres, chiffres" in response.context["action_form"].errors["code"][0]
    indicator_values = {
        "code": "ecoles",
        "name": "Écoles ouvertes",
        "unit": "écoles",
        "action": action.pk,
        "direction": "increase",
        "target_value": "12",
        "target_factor": "3",
        "computed_source": "",
    }
    response = client.post(reverse("programme:indicator_add", args=[slug]), indicator_values)
    assert response.status_code == 422
    assert response.context["indicator_form"].errors["target_factor"]
    response = client.post(
        reverse("programme:indicator_add", args=[slug]), indicator_values | {"target_factor": ""}
    )
    assert response.status_code == 302
    assert Indicator.objects.get(contract=contract).target_value == Decimal("12")

    # A change without a reason is refused; with one, kept in the history on the page.
    url = reverse("programme:action_edit", args=[slug, "1.1"])
    values = {"axis": axis.pk, "code": "1.1", "title": "Écoles du numérique", "is_published": "on"}
    response = client.post(url, values)
    assert response.status_code == 422
    assert response.context["form"].errors["reason"]
    response = client.post(url, values | {"reason": "Intitulé officiel"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Écoles du numérique"
    page = client.get(url).content.decode()
    assert "Intitulé officiel" in page
    assert "<del>Écoles</del>" in page
    assert "<ins>Écoles du numérique</ins>" in page

    # Publication is a change of the contract, kept in its history.
    client.post(reverse("programme:publish", args=[slug]))
    contract.refresh_from_db()
    assert contract.is_published
    assert contract.history.filter(history_change_reason="Publication").exists()


def test_a_part_with_records_is_not_removed_but_may_be_unpublished(officer, brittany):
    contract = ContractFactory(owner=brittany)
    action = ActionFactory(axis=AxisFactory(contract=contract))
    indicator = IndicatorFactory(contract=contract, action=action)
    MeasurementFactory(indicator=indicator)
    AllocationFactory(action=action, year=2018)
    with pytest.raises(Refused, match="mesures"):
        setup.indicator_delete(indicator=indicator, reason="Erreur")
    with pytest.raises(Refused, match="enveloppes"):
        setup.action_delete(action=action, reason="Erreur")
    with pytest.raises(Refused, match="actions"):
        setup.axis_delete(axis=action.axis, reason="Erreur")
    setup.indicator_update(
        indicator=indicator,
        reason="Retirée du tableau de bord",
        **{
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "action": action,
            "pillar": None,
            "baseline_value": indicator.baseline_value,
            "baseline_date": indicator.baseline_date,
            "target_value": indicator.target_value,
            "target_factor": None,
            "computed_source": "",
            "is_published": False,
        },
    )
    indicator.refresh_from_db()
    assert not indicator.is_published
    # Nothing recorded: removed, its history keeps it.
    empty = IndicatorFactory(contract=contract)
    pk = empty.pk
    setup.indicator_delete(indicator=empty, reason="Doublon")
    assert Indicator.history.get(id=pk, history_type="-").history_change_reason == "Doublon"


def test_the_budget_and_period_still_hold_what_is_recorded(brittany):
    contract = ContractFactory(owner=brittany, budget_eur=Decimal("850000"))
    AllocationFactory(action=ActionFactory(axis=AxisFactory(contract=contract)), year=2018)
    values = {
        "region": contract.region,
        "title": contract.title,
        "slug": contract.slug,
        "sector": contract.sector,
        "observed_sector": contract.observed_sector,
        "aim": "",
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "budget_eur": Decimal("1000"),
        "signed_on": None,
        "signing_place": "",
        "signing_commune": None,
        "strategy": None,
    }
    with pytest.raises(Refused) as refused:
        setup.contract_update(contract=contract, reason="Budget revu", **values)
    assert refused.value.field == "budget_eur"
    with pytest.raises(Refused) as refused:
        setup.contract_update(
            contract=contract,
            reason="Période revue",
            **values | {"budget_eur": contract.budget_eur, "start_date": date(2019, 1, 1)},
        )
    assert refused.value.field == "start_date"


def home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_home_page_lists_the_contracts_by_region_in_fixed_queries(client, officer, brittany):
    brittany_region = RegionFactory(code="53", name="Bretagne")
    ContractFactory(title="Contrat Mer", owner=brittany, region=brittany_region, unpublished=True)
    ContractFactory(title="Contrat Aéro", region=RegionFactory(code="28", name="Normandie"))
    hidden = ContractFactory(title="Contrat Caché", unpublished=True)
    client.force_login(officer)
    before, page = home_queries(client)
    assert "Nouveau contrat" in page
    assert page.index("Bretagne") < page.index("Contrat Mer") < page.index("Normandie")
    assert page.index("Normandie") < page.index("Contrat Aéro")
    assert "Non publié" in page
    assert "Gérer le contrat" in page
    assert hidden.title not in page
    for number in range(3):
        ContractFactory(owner=brittany, region=brittany_region, title=f"Contrat Tourisme {number}")
        ContractFactory(region=RegionFactory(code="84", name="Auvergne-Rhône-Alpes"))
    after, page = home_queries(client)
    assert "Contrat Tourisme 2" in page
    assert after == before
    client.logout()
    assert "Nouveau contrat" not in home_queries(client)[1]


def test_an_officer_creates_the_strategy_its_pillars_and_commitments(client, officer, brittany):
    contract = ContractFactory(owner=brittany, region=RegionFactory(code="53"))
    client.force_login(officer)
    url = reverse("programme:strategy", args=[contract.slug])
    assert "Nouvelle stratégie régionale" in client.get(url).content.decode()
    response = client.post(url, {"title": "Bretagne numérique", "annual_budget_eur": "-1"})
    assert response.status_code == 422
    assert response.context["form"].errors["annual_budget_eur"]
    assert client.post(url, {"title": "Bretagne numérique"}).status_code == 302
    contract.refresh_from_db()
    assert contract.strategy.region == contract.region
    assert contract.history.filter(history_change_reason="Stratégie régionale créée").exists()

    add_pillar = reverse("programme:pillar_add", args=[contract.slug])
    assert client.post(add_pillar, {"number": "1", "title": "Usages"}).status_code == 302
    response = client.post(add_pillar, {"number": "1", "title": "Encore"})
    assert response.status_code == 422
    assert response.context["child_form"].errors["number"]
    add_commitment = reverse("programme:pillar_commitment_add", args=[contract.slug, 1])
    values = {"position": "1", "label": "Former 500 élus", "amount_eur": "20000"}
    assert client.post(add_commitment, values).status_code == 302
    commitment_url = reverse("programme:pillar_commitment", args=[contract.slug, 1, 1])
    response = client.post(commitment_url, values | {"amount_eur": "25000", "reason": "Avenant"})
    assert response.status_code == 302
    page = client.get(commitment_url).content.decode()
    assert "Avenant" in page
    assert f"<ins>{format_value(Decimal('25000'))}</ins>" in page

    # A pillar that holds commitments is not removed.
    delete = reverse("programme:pillar_delete", args=[contract.slug, 1])
    response = client.post(delete, {"delete-reason": "Erreur"})
    assert response.status_code == 422
    assert "retirez-les d'abord" in response.context["delete_form"].non_field_errors()[0]

    # Another organisation's officer cannot join Bretagne's strategy, hence never edits it.
    other = OrganisationFactory(kind=OrganisationKind.REGIONAL_COUNCIL)
    intruder = member(other, Role.PROGRAMME_OFFICER)
    client.force_login(intruder)
    create = reverse("programme:contract_create")
    response = client.post(
        create, contract_values(owner=other.pk, strategy=contract.strategy_id, title="Intrus")
    )
    assert response.status_code == 422
    assert response.context["form"].errors["strategy"]  # not even offered
    intruding = ContractFactory(owner=other, region=contract.region)
    with pytest.raises(Refused, match="autre organisation"):
        setup.contract_update(
            contract=intruding,
            reason="Rattachement",
            region=contract.region,
            slug=intruding.slug,
            start_date=intruding.start_date,
            end_date=intruding.end_date,
            budget_eur=intruding.budget_eur,
            strategy=contract.strategy,
        )
    assert not can_edit_strategy(intruder, contract.strategy)


def test_the_set_up_page_lists_the_parts_in_fixed_queries(client, officer, brittany):
    contract = ContractFactory(owner=brittany)
    client.force_login(officer)
    url = reverse("programme:setup", args=[contract.slug])

    def add_parts(number: int) -> None:
        axis = AxisFactory(contract=contract, number=number)
        action = ActionFactory(axis=axis, code=f"{number}.1")
        IndicatorFactory(contract=contract, action=action)
        setup.actor_add(contract=contract, organisation=action.coordinator, role="partner")

    add_parts(1)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for number in range(2, 6):
        add_parts(number)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert "5.1 Action" in page
    assert len(after) == len(before)
