"""Correct and cancel, never lose: whoever may enter a commitment, a payment, an envelope or
a measurement corrects or cancels it from its page with a reason; the history keeps the
earlier values; a correction that would break a budget rule is refused and changes nothing;
cancelled rows count in no figure."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.common import history
from filiere.programme import selectors
from filiere.programme.models import BudgetAllocation, BudgetCommitment, Measurement, Payment
from tests.factories import (
    ActionFactory,
    AllocationFactory,
    CommitmentFactory,
    IndicatorFactory,
    MeasurementFactory,
    OrganisationFactory,
    PaymentFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    action = ActionFactory()
    AllocationFactory(action=action, year=2018, amount_eur=Decimal("100000"))
    return action


@pytest.fixture
def commitment(action):
    return CommitmentFactory(action=action, amount_eur=Decimal("10000"))


@pytest.fixture
def payment(commitment):
    return PaymentFactory(commitment=commitment, amount_eur=Decimal("4000"))


def officer(action):
    return member(action.axis.contract.owner, Role.PROGRAMME_OFFICER)


def coordinator(action):
    return member(action.coordinator, Role.COORDINATOR)


def other_coordinator():
    """The coordinator of another action: it may enter nothing on this one."""
    return member(ActionFactory().coordinator, Role.COORDINATOR)


def url(name, action, *args):
    return reverse(name, args=[action.axis.contract.slug, action.code, *args])


def figures(action):
    return selectors.budget_by_action(action.axis.contract, as_of=date(2019, 12, 31))[action.id]


def test_the_coordinator_corrects_a_payment_and_its_history_keeps_the_old_amount(
    client, action, payment
):
    client.force_login(coordinator(action))
    page = url("programme:payment", action, payment.pk)
    response = client.post(
        page, {"paid_on": "2018-09-15", "amount_eur": "3500", "reason": "Facture rectifiée"}
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.paid_on, payment.amount_eur) == (date(2018, 9, 15), Decimal("3500"))
    assert figures(action).paid == Decimal("3500")

    text = client.get(page).content.decode().replace("\xa0", " ")
    assert "Facture rectifiée" in text
    assert "<del>4 000</del> → <ins>3 500</ins>" in text
    [correction, _entered] = history.entries(payment)
    assert correction.reason == "Facture rectifiée"
    assert {change.field for change in correction.changes} == {
        "date de paiement",
        "montant (€)",
    }


def test_a_correction_needs_a_reason(client, action, payment):
    client.force_login(officer(action))
    response = client.post(
        url("programme:payment", action, payment.pk),
        {"paid_on": "2018-09-01", "amount_eur": "3500", "reason": ""},
    )
    assert response.status_code == 422
    payment.refresh_from_db()
    assert payment.amount_eur == Decimal("4000")


def test_a_payment_above_its_commitment_is_refused_with_the_rule_and_nothing_changes(
    client, action, commitment, payment
):
    PaymentFactory(commitment=commitment, amount_eur=Decimal("5000"))
    client.force_login(officer(action))
    response = client.post(
        url("programme:payment", action, payment.pk),
        {"paid_on": "2018-09-01", "amount_eur": "5001", "reason": "Erreur"},
    )
    assert response.status_code == 422
    assert "Il reste 5 000 €" in response.content.decode().replace("\xa0", " ")
    payment.refresh_from_db()
    assert payment.amount_eur == Decimal("4000")
    assert [entry.kind for entry in history.entries(payment)] == ["+"]


def test_someone_who_may_not_enter_a_payment_may_not_correct_or_cancel_it(client, action, payment):
    client.force_login(other_coordinator())
    response = client.post(
        url("programme:payment", action, payment.pk),
        {"paid_on": "2018-09-01", "amount_eur": "1", "reason": "Je peux ?"},
    )
    # Not an insider of the contract: the record's page is not even there.
    assert response.status_code == 404
    # A member of the contract's actors sees the page, without the forms, and is refused.
    insider = member(OrganisationFactory(), Role.COORDINATOR)
    action.axis.contract.actors.create(organisation=insider.memberships.get().organisation)
    client.force_login(insider)
    page = url("programme:payment", action, payment.pk)
    assert "Corriger le paiement" not in client.get(page).content.decode()
    assert (
        client.post(page, {"paid_on": "2018-09-01", "amount_eur": "1", "reason": "x"}).status_code
        == 403
    )
    cancel = url("programme:payment_cancel", action, payment.pk)
    assert client.post(cancel, {"cancel-reason": "x"}).status_code == 403
    payment.refresh_from_db()
    assert (payment.amount_eur, payment.is_cancelled) == (Decimal("4000"), False)


def test_a_cancelled_payment_keeps_its_row_and_counts_nowhere(client, action, payment):
    client.force_login(officer(action))
    response = client.post(
        url("programme:payment_cancel", action, payment.pk), {"cancel-reason": "Doublon"}
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.is_cancelled
    assert figures(action).paid == 0
    assert history.entries(payment)[0].reason == "Doublon"
    # Once cancelled it is not corrected any more.
    response = client.post(
        url("programme:payment", action, payment.pk),
        {"paid_on": "2018-09-01", "amount_eur": "10", "reason": "x"},
    )
    assert response.status_code == 403


def test_the_officer_corrects_a_commitment(client, action, commitment, payment):
    client.force_login(officer(action))
    beneficiary = OrganisationFactory()
    response = client.post(
        url("programme:commitment", action, commitment.pk),
        {
            "year": "2018",
            "beneficiary": beneficiary.pk,
            "label": "Convention corrigée",
            "amount_eur": "12000",
            "committed_on": "2018-02-01",
            "reason": "Avenant",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.label, commitment.amount_eur, commitment.beneficiary) == (
        "Convention corrigée",
        Decimal("12000"),
        beneficiary,
    )
    assert figures(action).committed == Decimal("12000")


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"amount_eur": "100001"}, "dépasse l&#x27;enveloppe"),
        ({"amount_eur": "3000"}, "sont déjà payés sur cet engagement"),
        ({"committed_on": "2018-10-01"}, "ne peut précéder l&#x27;engagement"),
        ({"year": "2019"}, "dépasse l&#x27;enveloppe de l&#x27;action pour 2019"),
    ],
)
def test_a_commitment_correction_that_breaks_a_budget_rule_is_refused(
    client, action, commitment, payment, change, rule
):
    client.force_login(officer(action))
    data = {
        "year": "2018",
        "beneficiary": commitment.beneficiary_id,
        "label": commitment.label,
        "amount_eur": "10000",
        "committed_on": "2018-03-01",
        "reason": "Essai",
        **change,
    }
    response = client.post(url("programme:commitment", action, commitment.pk), data)
    assert response.status_code == 422
    assert rule in response.content.decode()
    stored = BudgetCommitment.objects.get(pk=commitment.pk)
    assert (stored.year, stored.amount_eur, stored.committed_on) == (
        2018,
        Decimal("10000"),
        date(2018, 3, 1),
    )


def test_cancelling_a_commitment_cancels_its_payments(client, action, commitment, payment):
    client.force_login(coordinator(action))
    response = client.post(
        url("programme:commitment_cancel", action, commitment.pk),
        {"cancel-reason": "Projet abandonné"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    payment.refresh_from_db()
    assert commitment.is_cancelled
    assert payment.is_cancelled
    line = figures(action)
    assert (line.committed, line.paid, line.available) == (0, 0, Decimal("100000"))
    # The action page still lists it, marked, and no longer offers it for a payment.
    response = client.get(url("programme:action", action))
    assert "Annulé" in response.content.decode()
    assert not response.context["payment_form"].fields["commitment"].queryset.exists()
    # The envelope it freed can be committed again.
    assert BudgetCommitment.objects.counted().filter(action=action).count() == 0


def test_a_cancel_needs_a_reason(client, action, commitment):
    client.force_login(officer(action))
    response = client.post(
        url("programme:commitment_cancel", action, commitment.pk), {"cancel-reason": " "}
    )
    assert response.status_code == 422
    commitment.refresh_from_db()
    assert not commitment.is_cancelled


def test_the_officer_corrects_an_envelope_within_the_rules(client, action, commitment):
    client.force_login(officer(action))
    page = url("programme:allocation", action, 2018)
    response = client.post(page, {"amount_eur": "9999", "reason": "Trop bas"})
    assert response.status_code == 422
    assert "sont déjà engagés sur cette enveloppe" in response.content.decode()
    response = client.post(page, {"amount_eur": "900000", "reason": "Trop haut"})
    assert response.status_code == 422
    assert "dépasseraient le budget du contrat" in response.content.decode()
    assert BudgetAllocation.objects.get(action=action, year=2018).amount_eur == Decimal("100000")

    assert client.post(page, {"amount_eur": "50000", "reason": "Vote"}).status_code == 302
    assert figures(action).allocated == Decimal("50000")
    assert "Vote" in client.get(page).content.decode()


def test_an_envelope_is_deleted_only_when_nothing_is_committed_on_it(client, action, commitment):
    client.force_login(officer(action))
    delete = url("programme:allocation_delete", action, 2018)
    response = client.post(delete, {"cancel-reason": "Erreur d'année"})
    assert response.status_code == 422
    assert BudgetAllocation.objects.filter(action=action, year=2018).exists()

    client.post(url("programme:commitment_cancel", action, commitment.pk), {"cancel-reason": "x"})
    assert client.post(delete, {"cancel-reason": "Erreur d'année"}).status_code == 302
    assert not BudgetAllocation.objects.filter(action=action, year=2018).exists()
    # Its history still tells what it was and why it went.
    exported = client.get(url("programme:action_history_csv", action, "enveloppes"))
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["nature"] for row in rows] == ["Saisie", "Suppression"]
    assert rows[-1]["motif"] == "Erreur d'année"


def test_a_coordinator_may_not_correct_an_envelope(client, action):
    client.force_login(coordinator(action))
    page = url("programme:allocation", action, 2018)
    assert client.post(page, {"amount_eur": "1", "reason": "x"}).status_code == 403


def test_a_measurement_is_corrected_then_deleted(client, action):
    indicator = IndicatorFactory(contract=action.axis.contract, action=action)
    measurement = MeasurementFactory(indicator=indicator, value=Decimal("40"))
    MeasurementFactory(indicator=indicator, measured_on=date(2018, 12, 31))
    client.force_login(coordinator(action))
    indicator_page = reverse("programme:indicator", args=[indicator.contract.slug, indicator.code])
    page = reverse(
        "programme:measurement", args=[indicator.contract.slug, indicator.code, measurement.pk]
    )
    assert page in client.get(indicator_page).content.decode()

    refused = client.post(
        page, {"measured_on": "2018-12-31", "value": "41", "comment": "", "reason": "Date"}
    )
    assert refused.status_code == 422
    assert "Une mesure existe déjà à cette date" in refused.content.decode()
    response = client.post(
        page, {"measured_on": "2018-06-30", "value": "42", "comment": "", "reason": "Recompte"}
    )
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.value == Decimal("42")

    delete = reverse(
        "programme:measurement_delete",
        args=[indicator.contract.slug, indicator.code, measurement.pk],
    )
    assert client.post(delete, {"cancel-reason": "Saisie en double"}).status_code == 302
    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    exported = client.get(url("programme:action_history_csv", action, "mesures"))
    text = exported.content.decode("utf-8-sig")
    assert "Recompte" in text
    assert "Saisie en double" in text
    # The indicator's page gives the same history, for a contract-level indicator too.
    own = reverse("programme:indicator_history_csv", args=[indicator.contract.slug, indicator.code])
    assert own in client.get(indicator_page).content.decode()
    assert client.get(own).content.decode("utf-8-sig") == text
    client.force_login(other_coordinator())
    assert client.get(own).status_code == 403


def test_someone_who_may_not_record_a_measurement_may_not_correct_it(client, action):
    indicator = IndicatorFactory(contract=action.axis.contract, action=action)
    measurement = MeasurementFactory(indicator=indicator)
    insider = member(OrganisationFactory(), Role.COORDINATOR)
    action.axis.contract.actors.create(organisation=insider.memberships.get().organisation)
    client.force_login(insider)
    args = [indicator.contract.slug, indicator.code, measurement.pk]
    data = {"measured_on": "2018-06-30", "value": "1", "comment": "", "reason": "x"}
    assert client.post(reverse("programme:measurement", args=args), data).status_code == 403
    delete = reverse("programme:measurement_delete", args=args)
    assert client.post(delete, {"cancel-reason": "x"}).status_code == 403
    assert Measurement.objects.filter(pk=measurement.pk, value=Decimal("40")).exists()


def test_the_history_csv_of_the_action_lists_each_correction(client, action, payment):
    client.force_login(officer(action))
    client.post(
        url("programme:payment", action, payment.pk),
        {"paid_on": "2018-09-01", "amount_eur": "3000", "reason": "Montant réel"},
    )
    exported = client.get(url("programme:action_history_csv", action, "paiements"))
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    [entered, corrected] = rows
    assert entered["nature"] == "Saisie"
    assert (corrected["nature"], corrected["champ"], corrected["motif"]) == (
        "Correction",
        "montant (€)",
        "Montant réel",
    )
    assert (_amount(corrected["ancienne_valeur"]), _amount(corrected["nouvelle_valeur"])) == (
        Decimal("4000"),
        Decimal("3000"),
    )
    # Outsiders get no history.
    client.force_login(other_coordinator())
    assert client.get(url("programme:action_history_csv", action, "paiements")).status_code == 404


def test_cancelled_rows_are_left_out_of_every_selector():
    action = ActionFactory()
    AllocationFactory(action=action, year=2018, amount_eur=Decimal("100000"))
    kept = CommitmentFactory(action=action, amount_eur=Decimal("10000"))
    PaymentFactory(commitment=kept, amount_eur=Decimal("1000"))
    PaymentFactory(commitment=kept, amount_eur=Decimal("2000"), is_cancelled=True)
    gone = CommitmentFactory(action=action, amount_eur=Decimal("5000"), is_cancelled=True)
    PaymentFactory(commitment=gone, amount_eur=Decimal("500"))
    contract = action.axis.contract
    day = date(2019, 12, 31)
    line = selectors.budget_by_action(contract, as_of=day)[action.id]
    assert (line.committed, line.paid) == (Decimal("10000"), Decimal("1000"))
    year = selectors.budget_by_year(contract, as_of=day)[2018]
    assert (year.committed, year.paid) == (Decimal("10000"), Decimal("1000"))
    [reported] = selectors.report_commitments(contract, start=date(2017, 1, 1), end=day)
    assert (reported, reported.paid_in_period) == (kept, Decimal("1000"))
    listed = {row.pk: row.paid for row in selectors.action_commitments(action)}
    assert listed == {kept.pk: Decimal("1000"), gone.pk: Decimal("500")}
    assert Payment.objects.counted().count() == 1


def _amount(cell: str) -> Decimal:
    """An amount as the history writes it, whatever its thousands separator."""
    for separator in ("\xa0", "\u202f", " "):
        cell = cell.replace(separator, "")
    return Decimal(cell.replace(",", "."))


def test_the_admin_deletes_no_commitment_nor_payment(admin_client, payment):
    """Cancelling keeps the row and the reason; a deletion in the admin would lose both."""
    for model, pk in (("payment", payment.pk), ("budgetcommitment", payment.commitment_id)):
        url = reverse(f"admin:programme_{model}_delete", args=[pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Payment.objects.filter(pk=payment.pk).exists()


def test_no_correction_form_answers_500(normandy_contract):
    """The record pages' forms, swept and fed hostile values, as every form of the platform."""
    from tests.test_fuzz import forms_of, fuzz, signed_in

    slug = normandy_contract.slug
    payment = Payment.objects.filter(commitment__action__code="2.1").first()
    measurement = Measurement.objects.filter(indicator__code="entreprises-accompagnees").first()
    client = signed_in(officer(payment.commitment.action))
    paths = [
        f"/contrats/{slug}/actions/2.1/paiements/{payment.pk}/",
        f"/contrats/{slug}/actions/2.1/engagements/{payment.commitment_id}/",
        f"/contrats/{slug}/actions/2.1/enveloppes/{payment.commitment.year}/",
        f"/contrats/{slug}/indicateurs/{measurement.indicator.code}/mesures/{measurement.pk}/",
    ]
    forms = [("officer", form) for path in paths for form in forms_of(client, path)]
    # Each page's correction and cancellation (beside the language and sign-out forms).
    assert sum("reason" in str(form["fields"]) for _who, form in forms) == 8
    fuzz({"officer": client}, forms, examples=6)
