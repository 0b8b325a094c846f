"""Hostings and labelling decisions are corrected (or deleted, cancelled) from their pages by
whoever may enter them, with a reason kept in their history; a correction that breaks the
entry's rules is refused and changes nothing."""

import html
from datetime import date

import pytest
from django.urls import reverse

from filiere.accounts.enums import OrganisationKind, Role
from filiere.common import history
from filiere.registers import selectors
from filiere.registers.enums import HostingOutcome, ThirdPlaceStatus
from filiere.registers.models import Hosting
from tests.factories import (
    CohortFactory,
    HostingFactory,
    OrganisationFactory,
    ResidenceFactory,
    ThirdPlaceFactory,
    member,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def cohort():
    residence = ResidenceFactory(
        operator=OrganisationFactory(kind=OrganisationKind.CLUSTER), capacity=2
    )
    return CohortFactory(residence=residence, starts_on=date(2018, 1, 15))


@pytest.fixture
def operator_coordinator(cohort):
    return member(cohort.residence.operator, Role.COORDINATOR)


def correction(hosting, **changes):
    return {
        "firm_name": hosting.firm_name,
        "entered_on": hosting.entered_on.isoformat(),
        "left_on": "",
        "outcome": HostingOutcome.HOSTED,
        "outcome_note": "",
        "reason": "Erreur de saisie",
        **changes,
    }


def test_the_operator_corrects_a_hosting_and_its_history_keeps_the_old_values(
    client, cohort, operator_coordinator
):
    hosting = HostingFactory(cohort=cohort, firm_name="Agrinov", entered_on=date(2018, 2, 1))
    client.force_login(operator_coordinator)
    assert reverse("registers:hosting", args=[hosting.pk]) in text(
        client.get(reverse("registers:hostings"))
    )
    page = reverse("registers:hosting", args=[hosting.pk])
    data = correction(
        hosting,
        firm_name="Agrinov SAS",
        left_on="2019-06-30",
        outcome=HostingOutcome.GROWN,
        reason="Sortie oubliée",
    )
    assert client.post(page, data).status_code == 302
    hosting.refresh_from_db()
    assert (hosting.firm_name, hosting.left_on, hosting.outcome) == (
        "Agrinov SAS",
        date(2019, 6, 30),
        HostingOutcome.GROWN,
    )
    shown = text(client.get(page))
    assert "Sortie oubliée" in shown
    assert "<del>Agrinov</del> → <ins>Agrinov SAS</ins>" in shown
    # Out of the residence on the day after: the presence counts see it.
    residence = selectors.residences_with_presence(date(2019, 7, 1)).get(pk=cohort.residence_id)
    assert residence.present == 0


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"entered_on": "2018-01-01"}, "L'entrée ne peut pas précéder le début de la promotion"),
        (
            {"left_on": "2018-01-20", "outcome": HostingOutcome.GROWN},
            "La sortie ne peut pas précéder l'entrée",
        ),
        ({"left_on": "2019-01-01"}, "Indiquez ce que l'entreprise devient"),
        ({"outcome": HostingOutcome.CEASED}, "Une entreprise encore hébergée n'a pas de devenir"),
        ({"entered_on": "2018-01-16"}, "La résidence est complète à cette date"),
        ({"reason": ""}, "Ce champ est obligatoire"),
    ],
)
def test_a_hosting_correction_that_breaks_a_rule_is_refused_and_changes_nothing(
    client, cohort, operator_coordinator, changes, rule
):
    HostingFactory(cohort=cohort, entered_on=date(2018, 1, 15))
    HostingFactory(cohort=cohort, entered_on=date(2018, 1, 16), left_on=date(2018, 1, 31))
    hosting = HostingFactory(cohort=cohort, entered_on=date(2018, 2, 1))
    client.force_login(operator_coordinator)
    response = client.post(
        reverse("registers:hosting", args=[hosting.pk]), correction(hosting, **changes)
    )
    assert response.status_code == 422
    assert rule in text(response)
    stored = Hosting.objects.get(pk=hosting.pk)
    assert (stored.entered_on, stored.left_on, stored.outcome) == (
        date(2018, 2, 1),
        None,
        HostingOutcome.HOSTED,
    )


def test_a_hosting_is_deleted_with_a_reason_and_its_history_stays(
    client, cohort, operator_coordinator
):
    hosting = HostingFactory(cohort=cohort)
    client.force_login(operator_coordinator)
    delete = reverse("registers:hosting_delete", args=[hosting.pk])
    assert client.post(delete, {"cancel-reason": ""}).status_code == 422
    assert client.post(delete, {"cancel-reason": "Doublon"}).status_code == 302
    assert not Hosting.objects.filter(pk=hosting.pk).exists()
    last = Hosting.history.filter(id=hosting.pk).latest("history_date")
    assert (last.history_type, last.history_change_reason) == ("-", "Doublon")


def test_who_does_not_run_the_residence_may_not_correct_its_hostings(client, cohort):
    hosting = HostingFactory(cohort=cohort, firm_name="Agrinov")
    client.force_login(member(OrganisationFactory(), Role.COORDINATOR))
    page = reverse("registers:hosting", args=[hosting.pk])
    shown = text(client.get(page))
    assert "Corriger l'hébergement" not in shown
    assert "Historique" not in shown
    assert client.post(page, correction(hosting, firm_name="Autre")).status_code == 403
    delete = reverse("registers:hosting_delete", args=[hosting.pk])
    assert client.post(delete, {"cancel-reason": "x"}).status_code == 403
    assert Hosting.objects.get(pk=hosting.pk).firm_name == "Agrinov"


@pytest.fixture
def decided():
    return ThirdPlaceFactory(
        status=ThirdPlaceStatus.LABELLED,
        applied_on=date(2019, 3, 1),
        decided_on=date(2019, 4, 1),
        decision_note="Dossier complet",
    )


@pytest.fixture
def decider():
    return member(OrganisationFactory(), Role.COORDINATOR)


def test_a_decision_is_corrected_with_a_reason_shown_in_the_history(client, decided, decider):
    client.force_login(decider)
    page = reverse("registers:third_place", args=[decided.pk])
    assert "Corriger la décision" in text(client.get(page))
    url = reverse("registers:third_place_decision_correct", args=[decided.pk])
    early = {
        "status": ThirdPlaceStatus.REFUSED,
        "decided_on": "2019-02-01",
        "decision_note": "Hors critères",
        "reason": "Erreur de dossier",
    }
    response = client.post(url, early)
    assert response.status_code == 422
    assert "La décision ne peut pas précéder la candidature" in text(response)
    decided.refresh_from_db()
    assert decided.status == ThirdPlaceStatus.LABELLED

    assert client.post(url, {**early, "decided_on": "2019-04-02"}).status_code == 302
    decided.refresh_from_db()
    assert (decided.status, decided.decided_on) == (ThirdPlaceStatus.REFUSED, date(2019, 4, 2))
    shown = text(client.get(page))
    assert "Erreur de dossier" in shown
    assert "<del>Labellisé</del> → <ins>Non labellisé</ins>" in shown


def test_a_cancelled_decision_leaves_the_application_to_be_decided_again(client, decided, decider):
    client.force_login(decider)
    url = reverse("registers:third_place_decision_cancel", args=[decided.pk])
    assert (
        client.post(url, {"cancel-reason": "Décision prise sur le mauvais lieu"}).status_code == 302
    )
    decided.refresh_from_db()
    assert (decided.status, decided.decided_on, decided.decision_note) == (
        ThirdPlaceStatus.APPLIED,
        None,
        "",
    )
    assert history.entries(decided)[0].reason == "Décision prise sur le mauvais lieu"
    shown = text(client.get(reverse("registers:third_place", args=[decided.pk])))
    assert "Enregistrer la décision" in shown
    assert "Corriger la décision" not in shown
    # With no decision left, there is none to correct or cancel.
    assert client.post(url, {"cancel-reason": "encore"}, follow=True).status_code == 409


def test_who_may_not_decide_may_not_correct_a_decision(client, decided):
    client.force_login(member(OrganisationFactory(), Role.COMPANY_MEMBER))
    assert "Corriger la décision" not in text(
        client.get(reverse("registers:third_place", args=[decided.pk]))
    )
    url = reverse("registers:third_place_decision_correct", args=[decided.pk])
    data = {
        "status": ThirdPlaceStatus.REFUSED,
        "decided_on": "2019-04-02",
        "decision_note": "Non",
        "reason": "x",
    }
    assert client.post(url, data).status_code == 403
    cancel = reverse("registers:third_place_decision_cancel", args=[decided.pk])
    assert client.post(cancel, {"cancel-reason": "x"}).status_code == 403
    decided.refresh_from_db()
    assert decided.status == ThirdPlaceStatus.LABELLED


def test_no_correction_form_answers_500(cohort, operator_coordinator, decided):
    """The hosting's and the decision's correction forms, swept and fed hostile values."""
    from tests.test_fuzz import forms_of, fuzz, signed_in

    hosting = HostingFactory(cohort=cohort)
    clients = {
        "operator": signed_in(operator_coordinator),
        "decider": signed_in(member(OrganisationFactory(), Role.COORDINATOR)),
    }
    forms = [
        ("operator", form)
        for form in forms_of(clients["operator"], reverse("registers:hosting", args=[hosting.pk]))
    ] + [
        ("decider", form)
        for form in forms_of(
            clients["decider"], reverse("registers:third_place", args=[decided.pk])
        )
    ]
    assert sum("reason" in str(form["fields"]) for _who, form in forms) == 4
    fuzz(clients, forms, examples=6)
