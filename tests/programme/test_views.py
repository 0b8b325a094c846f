import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.transaction import on_commit
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.accounts.models import Organisation
from filiere.common.formats import format_euros as euros
from filiere.programme import selectors, services
from filiere.programme.figures import figures_changed, figures_version
from filiere.programme.models import Action, FiguresVersion, Indicator, Measurement
from tests.factories import IndicatorFactory, MeasurementFactory, member

SLUG = "normandie-numerique-2017"

# Each page, with its queries once its figures are kept.
PAGES = [
    ("programme:dashboard", {"slug": SLUG}, 6),
    ("programme:axis", {"slug": SLUG, "number": 2}, 7),
    ("programme:action", {"slug": SLUG, "code": "2.3"}, 15),
    ("programme:indicator", {"slug": SLUG, "code": "parcours-formation"}, 7),
    ("programme:indicator", {"slug": SLUG, "code": "budget-engage"}, 7),
    ("programme:report", {"slug": SLUG}, 8),
]


def officer(contract):
    return member(contract.owner, Role.PROGRAMME_OFFICER)


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "kwargs", "kept"), PAGES)
def test_pages_render_in_a_bounded_number_of_queries(client, normandy_contract, name, kwargs, kept):
    client.force_login(officer(normandy_contract))
    url = reverse(name, kwargs=kwargs)
    action = Action.objects.get(axis__contract=normandy_contract, code="2.3")
    MeasurementFactory(indicator=IndicatorFactory(contract=normandy_contract, action=action))
    before = query_count(client, url)
    # Each computed indicator source (register, budget, needs, support, events, projects,
    # registers) reads its own figures: a fixed cost, whatever the number of rows.
    assert before <= 42
    # Seen again, the figures are read from the shared cache (programme.figures).
    assert query_count(client, url) == kept

    # Twice the indicators, measurements and commitments: not one query more.
    for position in range(10):
        indicator = IndicatorFactory(
            contract=normandy_contract,
            action=action,
        )
        MeasurementFactory(indicator=indicator, measured_on=date(2018, 1, 1 + position))
    assert query_count(client, url) == before
    assert query_count(client, url) == kept


PAID_CARD = re.compile(r'Payé</span>\s*<br>\s*<span class="figure">([^<]*)</span>')


def paid_on_the_dashboard(client) -> str:
    page = client.get(reverse("programme:dashboard", kwargs={"slug": SLUG})).content.decode()
    return PAID_CARD.search(page).group(1)


@pytest.mark.parametrize("change", ["payment", "correction", "cancellation"])
def test_the_dashboard_shows_a_payment_or_its_correction_at_once(client, normandy_contract, change):
    """The dashboard's figures are kept in the shared cache: a write shows on the next view."""
    as_of = selectors.default_as_of(normandy_contract)
    paid = selectors.counted_payments(normandy_contract).filter(paid_on__lte=as_of)
    total = sum(p.amount_eur for p in paid)
    assert paid_on_the_dashboard(client) == euros(total)  # now kept
    payment = paid.filter(amount_eur__gt=2).order_by("pk").first()
    if change == "payment":
        commitment = next(
            c
            for c in selectors.counted_commitments(normandy_contract).order_by("pk")
            if c.amount_eur - sum(p.amount_eur for p in paid.filter(commitment=c)) >= 1
        )
        services.payment_create(commitment=commitment, paid_on=date(2019, 6, 1), amount_eur=1)
        total += 1
    elif change == "correction":
        services.payment_correct(
            payment=payment,
            paid_on=payment.paid_on,
            amount_eur=payment.amount_eur - 1,
            reason="Montant saisi avec une erreur",
        )
        total -= 1
    else:
        services.payment_cancel(payment=payment, reason="Paiement rejeté par le comptable")
        total -= payment.amount_eur
    assert paid_on_the_dashboard(client) == euros(total)


def test_home_lists_published_contracts(client, normandy_contract):
    response = client.get(reverse("home"))
    assert normandy_contract.title in response.content.decode()


def test_dashboard_shows_the_contract_for_the_public(client, normandy_contract):
    response = client.get(reverse("programme:dashboard", kwargs={"slug": SLUG}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "850" in page
    assert "Château de Gromesnil" in page
    assert "Agence de développement pour la Normandie" in page
    assert "Démo" in page  # demo data is flagged
    assert "Enregistrer" not in page
    # The public sees budget totals, not the commitments' beneficiaries.
    action_page = client.get(reverse("programme:action", kwargs={"slug": SLUG, "code": "2.3"}))
    assert "Engagements et paiements" not in action_page.content.decode()


def test_unpublished_things_stay_private(client, normandy_contract):
    Indicator.objects.filter(code="couverture-thd").update(is_published=False)
    url = reverse("programme:indicator", kwargs={"slug": SLUG, "code": "couverture-thd"})
    assert client.get(url).status_code == 404
    client.force_login(officer(normandy_contract))
    assert client.get(url).status_code == 200

    normandy_contract.is_published = False
    normandy_contract.save()
    client.logout()
    assert client.get(reverse("programme:dashboard", kwargs={"slug": SLUG})).status_code == 404
    assert normandy_contract.title not in client.get(reverse("home")).content.decode()


def test_coordinator_records_a_measurement_on_its_own_action_only(client, normandy_contract):
    nwx = Organisation.objects.get(slug="nwx")
    client.force_login(member(nwx, Role.COORDINATOR))
    own = reverse("programme:indicator", kwargs={"slug": SLUG, "code": "entreprises-accompagnees"})
    other = reverse(
        "programme:indicator", kwargs={"slug": SLUG, "code": "projets-collaboratifs-emerges"}
    )
    data = {"measured_on": "2019-09-30", "value": "99", "comment": "Bilan T3"}

    response = client.post(own, data)
    assert response.status_code == 302
    assert Measurement.objects.filter(
        indicator__code="entreprises-accompagnees", measured_on=date(2019, 9, 30), value=99
    ).exists()
    assert client.post(other, data).status_code == 403
    assert "Enregistrer la mesure" not in client.get(other).content.decode()
    assert not Measurement.objects.filter(
        indicator__code="projets-collaboratifs-emerges", measured_on=date(2019, 9, 30)
    ).exists()


def test_invalid_measurement_is_shown_at_the_field_and_not_saved(client, normandy_contract):
    client.force_login(officer(normandy_contract))
    url = reverse("programme:indicator", kwargs={"slug": SLUG, "code": "couverture-thd"})
    count = Measurement.objects.count()
    response = client.post(url, {"measured_on": "2019-06-30", "value": "1200"})
    assert response.status_code == 422
    assert "Une mesure existe déjà à cette date" in response.content.decode()
    response = client.post(url, {"measured_on": "pas une date", "value": "abc"})
    assert response.status_code == 422
    assert response.content.decode().count('aria-invalid="true"') == 2
    assert Measurement.objects.count() == count


def test_htmx_measurement_returns_the_updated_panel(client, normandy_contract):
    client.force_login(officer(normandy_contract))
    url = reverse("programme:indicator", kwargs={"slug": SLUG, "code": "couverture-thd"})
    response = client.post(
        f"{url}?au=2020-06-30",
        {"measured_on": "2020-03-31", "value": "100"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Cible atteinte" in page


def test_commitment_over_the_envelope_is_refused_at_the_field(client, normandy_contract):
    client.force_login(officer(normandy_contract))
    url = reverse("programme:commitment_create", kwargs={"slug": SLUG, "code": "4.1"})
    tes = Organisation.objects.get(slug="pole-tes")
    data = {
        "year": "2019",
        "beneficiary": tes.pk,
        "label": "Salon",
        "amount_eur": "999999",
        "committed_on": "2019-05-01",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "dépasse l&#x27;enveloppe" in response.content.decode()
    data["amount_eur"] = "1000"
    assert client.post(url, data).status_code == 302


def test_coordinator_cannot_commit_on_an_action_it_does_not_coordinate(client, normandy_contract):
    client.force_login(member(Organisation.objects.get(slug="nwx"), Role.COORDINATOR))
    url = reverse("programme:commitment_create", kwargs={"slug": SLUG, "code": "2.2"})
    assert client.post(url, {}).status_code == 403
    allocation = reverse("programme:allocation_set", kwargs={"slug": SLUG, "code": "2.1"})
    assert client.post(allocation, {"year": "2019", "amount_eur": "1"}).status_code == 403


def test_officer_sets_an_envelope(client, normandy_contract):
    client.force_login(officer(normandy_contract))
    url = reverse("programme:allocation_set", kwargs={"slug": SLUG, "code": "4.1"})
    response = client.post(url, {"year": "2019", "amount_eur": "900000"})
    assert response.status_code == 422
    # 4.1 has its 2019 envelope: another amount is a correction, from its page, with a reason.
    assert "corrigez-la depuis sa fiche, avec un motif" in response.content.decode()
    correct = reverse("programme:allocation", kwargs={"slug": SLUG, "code": "4.1", "year": 2019})
    response = client.post(correct, {"amount_eur": "900000", "reason": "Avenant"})
    assert response.status_code == 422
    assert "dépasseraient le budget du contrat" in response.content.decode()


def test_report_for_a_period_and_its_csv_exports(client, normandy_contract):
    client.force_login(officer(normandy_contract))
    url = reverse("programme:report", kwargs={"slug": SLUG})
    page = client.get(url, {"start": "2018-01-01", "end": "2018-12-31"}).content.decode()
    assert "du 1er janvier 2018 au 31 décembre 2018" in page
    assert "Engagements de la période par bénéficiaire" in page

    csv_url = reverse("programme:report_csv", kwargs={"slug": SLUG, "kind": "budget"})
    response = client.get(csv_url, {"start": "2018-01-01", "end": "2018-12-31"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("axe;action;intitule")
    assert len(lines) == 1 + 9
    allocated_2018 = sum(Decimal(line.split(";")[4].replace(",", ".")) for line in lines[1:])
    assert allocated_2018 == Decimal("340000")

    csv_url = reverse("programme:report_csv", kwargs={"slug": SLUG, "kind": "indicateurs"})
    lines = client.get(csv_url).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 26
    assert any(line.startswith("lycees-fibre;") and ";achieved;" in line for line in lines)


def test_report_rejects_an_inverted_period(client, normandy_contract):
    url = reverse("programme:report", kwargs={"slug": SLUG})
    page = client.get(url, {"start": "2019-01-01", "end": "2018-01-01"}).content.decode()
    assert "La date de début doit précéder la date de fin" in page


def test_french_is_the_default_and_english_is_available(client, normandy_contract):
    url = reverse("programme:dashboard", kwargs={"slug": SLUG})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'lang="fr-fr"' in page
    assert "Chiffres clés" in page
    client.post(reverse("set_language"), {"language": "en", "next": url})
    page = client.get(url).content.decode()
    assert 'lang="en"' in page
    assert "Key figures" in page


@pytest.mark.parametrize(
    "path",
    [
        "/contrats/normandie-numerique-2017/?au=9999-12-31",
        "/contrats/normandie-numerique-2017/axes/1/?au=9999-12-31",
        "/contrats/normandie-numerique-2017/indicateurs/couverture-thd/?au=9999-12-31",
        "/contrats/normandie-numerique-2017/?au=1817-01-01",
        "/contrats/normandie-numerique-2017/?au=demain",
        "/contrats/normandie-numerique-2017/rapport/indicateurs.csv?start=2017-01-01&end=9999-12-31",
        "/api/contracts/normandie-numerique-2017/indicators?at=9999-12-31",
    ],
)
def test_a_date_out_of_the_contracts_reach_is_refused_before_any_work(
    client, normandy_contract, path, django_assert_max_num_queries
):
    """Any date used to build one series point per quarter up to it (minutes of work for
    year 9999): the date is checked at the door, in a handful of queries."""
    with django_assert_max_num_queries(6):
        response = client.get(path)
    assert response.status_code == 422
    body = response.content.decode().lower()
    assert "la date doit tomber" in body or "date invalide, au format aaaa-mm-jj" in body


def test_a_report_period_beyond_the_contract_says_its_bounds(client, normandy_contract):
    response = client.get(
        reverse("programme:report", kwargs={"slug": SLUG}),
        {"start": "2017-01-01", "end": "9999-12-31"},
    )
    assert response.status_code == 422
    assert "La date doit tomber pendant le contrat, du 01/01/2017 au 31/12/2019." in (
        response.content.decode()
    )


def test_a_strategy_indicator_is_seen_past_the_contract_up_to_its_deadline(
    client, normandy_contract
):
    url = reverse("programme:indicator", kwargs={"slug": SLUG, "code": "couverture-thd"})
    assert client.get(f"{url}?au=2025-12-31").status_code == 200


def test_the_dashboards_day_follows_its_links_to_the_axes_actions_and_indicators(
    client, normandy_contract
):
    client.force_login(officer(normandy_contract))
    dashboard = reverse("programme:dashboard", kwargs={"slug": SLUG})
    page = client.get(dashboard, {"au": "2018-12-31"}).content.decode()
    action = reverse("programme:action", kwargs={"slug": SLUG, "code": "1.1"})
    assert f'href="{action}?au=2018-12-31"' in page
    axis = reverse("programme:axis", kwargs={"slug": SLUG, "number": 1})
    assert f'href="{axis}?au=2018-12-31"' in page
    # The action's page at that day counts what the dashboard counted for it.
    line = selectors.budget_by_action(normandy_contract, as_of=date(2018, 12, 31))[
        Action.objects.get(axis__contract=normandy_contract, code="1.1").id
    ]
    shown = client.get(action, {"au": "2018-12-31"}).content.decode()
    assert "Situation au 31 décembre 2018" in shown
    assert euros(line.paid) in shown
    # At the default day the links carry no date.
    default = client.get(dashboard).content.decode()
    assert f'href="{action}"' in default
    assert f'href="{action}?au=' not in default


class Rollback(Exception):
    pass


@transaction.atomic
def renew_then_roll_back():
    figures_changed()
    raise Rollback


def test_a_transaction_renews_the_figures_once_and_again_after_a_rollback(
    db, monkeypatch, django_assert_num_queries
):
    """A queryset's deletion sends a signal per row: the version is renewed once (one query)
    per transaction, and again once a savepoint that renewed it rolled back."""
    monkeypatch.setattr(transaction, "on_commit", on_commit)  # the real one: kept until commit
    FiguresVersion.objects.create(pk=1, version="initial")
    with transaction.atomic():
        with pytest.raises(Rollback):
            renew_then_roll_back()
        assert figures_version() == "initial"
        with django_assert_num_queries(1):
            for _ in range(3):
                figures_changed()
    assert figures_version() != "initial"
