import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from filiere.accounts.models import Membership, Organisation
from filiere.directory.models import Label
from filiere.programme.models import (
    Action,
    ActionItem,
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    ContractActor,
    Indicator,
    Measurement,
    Pillar,
    PillarCommitment,
)
from tests.factories import normandy_contract_territory

SLUG = "normandie-numerique-2017"


@pytest.fixture
def loaded(db, run_command):
    normandy_contract_territory()
    run_command("load_scenario", SLUG)
    return Contract.objects.get(slug=SLUG)


def test_contract_facts(loaded):
    assert loaded.title == "Contrat de filière numérique 2017-2019"
    assert loaded.signed_on == date(2017, 10, 25)
    assert "Château de Gromesnil" in loaded.signing_place
    assert "Saint-Romain-de-Colbosc" in loaded.signing_place
    assert loaded.budget_eur == Decimal("850000")
    assert (loaded.start_date.year, loaded.end_date.year) == (2017, 2019)
    assert loaded.owner.slug == "region-normandie"


def test_actors_and_roles(loaded):
    roles = set(
        ContractActor.objects.filter(contract=loaded).values_list(
            "organisation__short_name", "role"
        )
    )
    assert ("Région", "funder") in roles
    assert ("Région", "signatory") in roles
    assert ("AD Normandie", "signatory") in roles
    assert ("TES", "coordinator") in roles
    assert ("NWX", "coordinator") in roles
    assert ("CCI", "organiser") in roles
    assert ("CMA", "organiser") in roles
    assert ("Normandy French Tech", "partner") in roles
    assert ("Relais d'sciences", "partner") in roles


def test_axes_actions_coordinators_and_named_items(loaded):
    axes = list(loaded.axes.values_list("number", "title"))
    assert axes == [
        (1, "Identification de nouveaux marchés"),
        (2, "Accompagnement des entreprises du numérique"),
        (3, "Développement à l'international"),
        (4, "Promotion du secteur"),
    ]
    coordinators = dict(
        Action.objects.filter(axis__contract=loaded).values_list("code", "coordinator__short_name")
    )
    assert coordinators == {
        "1.1": "CCI",
        "1.2": "TES",
        "2.1": "NWX",
        "2.2": "TES",
        "2.3": "TES",
        "3.1": None,
        "3.2": "NWX",
        "4.1": "NWX",
        "4.2": "TES",
    }
    items = set(
        ActionItem.objects.filter(action__axis__contract=loaded).values_list(
            "kind", "name", "place"
        )
    )
    assert {
        ("residence", "Agri up", "Colombelles"),
        ("residence", "Tourism up", "Deauville"),
        ("residence", "Smart port", "Le Havre"),
    } <= items
    assert {("trade_show", "CES", "Las Vegas"), ("trade_show", "Vivatech", "Paris")} <= items
    assert {
        ("mission", "Mission San Francisco", "San Francisco"),
        ("mission", "Mission New York", "New York"),
    } <= items
    markets = {name for kind, name, _ in items if kind == "target_market"}
    assert markets == {"Santé", "Tourisme", "Agriculture"}
    action_2_1 = Action.objects.get(axis__contract=loaded, code="2.1")
    assert "GPEC" in action_2_1.description
    partners_1_1 = set(action_1_1_partners(loaded))
    assert partners_1_1 == {"CMA", "Normandy French Tech", "NWX"}


def action_1_1_partners(contract):
    action = Action.objects.get(axis__contract=contract, code="1.1")
    return action.partners.values_list("short_name", flat=True)


def test_strategy_pillars_and_commitments(loaded):
    assert loaded.strategy.annual_budget_eur == Decimal("45000000")
    assert Pillar.objects.filter(strategy=loaded.strategy).count() == 6
    amounts = set(
        PillarCommitment.objects.exclude(amount_eur=None).values_list("amount_eur", flat=True)
    )
    assert amounts == {Decimal("110000000"), Decimal("60000000")}
    labels = " ".join(PillarCommitment.objects.values_list("label", flat=True))
    for fact in (
        "Normandie TPE",
        "fonds régional de garantie",
        "COMMUNOTIC",
        "1 500",
        "20 projets",
        "30 tiers-lieux",
        "fibre",
    ):
        assert fact.lower() in labels.lower()


def test_indicators_of_the_scenario(loaded):
    indicators = {i.code: i for i in Indicator.objects.filter(contract=loaded)}
    assert indicators["emplois-filiere"].baseline_value == 21000
    assert indicators["etablissements-filiere"].baseline_value == 4000
    assert indicators["parcours-formation"].target_value == 1500
    assert indicators["parcours-formation"].deadline == date(2020, 12, 31)
    assert indicators["projets-datalab"].target_value == 20
    assert indicators["tiers-lieux-labellises"].target_value == 30
    assert indicators["couverture-thd"].deadline == date(2025, 12, 31)
    assert indicators["lycees-fibre"].deadline == date(2017, 12, 31)
    assert indicators["membres-communotic"].target_factor == 2
    assert indicators["budget-engage"].computed_source == "programme.budget_committed"
    assert not any(i.is_demo for i in indicators.values())


def test_loading_twice_changes_nothing_and_keeps_user_edits(loaded, run_command):
    counts = [Organisation.objects.count(), Action.objects.count(), Indicator.objects.count()]
    Indicator.objects.filter(code="membres-communotic").update(
        baseline_value=Decimal("400"), baseline_date=date(2017, 10, 25)
    )
    out, _ = run_command("load_scenario", SLUG)
    assert "créés" not in out
    assert [
        Organisation.objects.count(),
        Action.objects.count(),
        Indicator.objects.count(),
    ] == counts
    communotic = Indicator.objects.get(code="membres-communotic")
    assert communotic.baseline_value == 400
    assert communotic.effective_target == 800


def test_each_label_names_the_body_that_grants_it_also_on_labels_made_before(loaded, run_command):
    bodies = dict(Label.objects.values_list("slug", "granted_by__slug"))
    assert bodies == {
        "normandy-french-tech": "normandy-french-tech",
        "membre-pole-tes": "pole-tes",
        "membre-nwx": "nwx",
        # Pôle TES runs the three residences (action 2.3).
        "residence-agri-up": "pole-tes",
        "residence-tourism-up": "pole-tes",
        "residence-smart-port": "pole-tes",
    }
    # A label made before labels were granted gets its body; a body chosen since stays.
    Label.objects.filter(slug="membre-nwx").update(granted_by=None)
    Label.objects.filter(slug="residence-smart-port").update(
        granted_by=Organisation.objects.get(slug="ad-normandie")
    )
    run_command("load_scenario", SLUG)
    bodies = dict(Label.objects.values_list("slug", "granted_by__slug"))
    assert bodies["membre-nwx"] == "nwx"
    assert bodies["residence-smart-port"] == "ad-normandie"


def test_scenario_needs_the_reference_data(db):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    err = StringIO()
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        call_command("load_scenario", SLUG, stdout=StringIO(), stderr=err)
    assert "région inconnue en base (lancez d'abord load_reference_data)" in err.getvalue()
    assert not Contract.objects.exists()


def test_demo_data_is_flagged_idempotent_and_removable(loaded, run_command):
    out, _ = run_command("load_demo_data")
    assert "officier@demo.filiere.fr" in out
    allocated = sum(BudgetAllocation.objects.values_list("amount_eur", flat=True))
    assert allocated == Decimal("850000")
    assert not BudgetAllocation.objects.filter(is_demo=False).exists()
    assert not BudgetCommitment.objects.filter(is_demo=False).exists()
    assert not Measurement.objects.filter(is_demo=False).exists()
    snapshot = (BudgetCommitment.objects.count(), Measurement.objects.count())

    out, _ = run_command("load_demo_data")
    assert "démo déjà chargée" in out
    assert (BudgetCommitment.objects.count(), Measurement.objects.count()) == snapshot

    run_command("load_demo_data", "--reset")
    assert (BudgetCommitment.objects.count(), Measurement.objects.count()) == snapshot

    run_command("load_demo_data", "--clear")
    assert BudgetCommitment.objects.count() == 0
    assert Indicator.objects.filter(contract=loaded).count() == 19  # the scenario's stay


def test_every_demo_account_make_run_prints_signs_in_from_the_login_form(
    loaded, run_command, client
):
    from filiere.programme.demo import DEMO_PASSWORD
    from filiere.projects.demo import REVIEWER_EMAIL, _reviewer

    out, _ = run_command("load_demo_data")
    _reviewer()  # the expert load_demo_projects prints
    printed = re.findall(r"^\s+(\S+@\S+)", out, flags=re.MULTILINE) + [REVIEWER_EMAIL]
    assert len(printed) == 9
    for email in printed:
        client.logout()
        response = client.post(
            reverse("account_login"), {"login": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        assert client.get(reverse("accounts:account")).status_code == 200, email
    # Each partner's and the firm's demo account runs its team.
    assert Membership.objects.filter(user__email__in=printed, is_admin=True).count() == 8
