"""Hostings, labelling decisions, training paths and datalab projects are corrected (or
deleted, cancelled) from their pages by whoever may enter them, with a reason kept in their
history; a correction that breaks the entry's rules is refused and changes nothing."""

import html
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filiere.accounts.enums import OrganisationKind, Role
from filiere.common import history
from filiere.registers import selectors
from filiere.registers.enums import HostingOutcome, ThirdPlaceStatus
from filiere.registers.models import DatalabProject, Dataset, Hosting, TrainingPath
from tests.factories import (
    CohortFactory,
    ContractFactory,
    DatalabProjectFactory,
    HostingFactory,
    LegalUnitFactory,
    OrganisationFactory,
    RegionFactory,
    ResidenceFactory,
    ThirdPlaceFactory,
    TrainingPathFactory,
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


@pytest.fixture
def officer():
    """Who imports the training paths (and edits the datalab): a programme officer."""
    return member(OrganisationFactory(), Role.PROGRAMME_OFFICER, first_name="Léa", last_name="Roy")


def path_correction(path, **changes):
    return {
        "title": path.title,
        "provider_name": path.provider_name,
        "provider_siren": "",
        "region": path.region_id,
        "format": path.format,
        "hours": path.hours,
        "created_on": path.created_on.isoformat(),
        "url": path.url,
        "reason": "Erreur du fichier",
        **changes,
    }


def test_an_officer_corrects_a_training_path_and_its_history_keeps_the_old_values(client, officer):
    path = TrainingPathFactory(title="Cybersécurité des PME", hours=35)
    unit = LegalUnitFactory(name="Campus numérique")
    client.force_login(officer)
    page = reverse("registers:training_path", args=[path.pk])
    assert page in text(client.get(reverse("registers:training_paths")))
    data = path_correction(path, hours="70", provider_siren=unit.siren, reason="Durée doublée")
    assert client.post(page, data).status_code == 302
    path.refresh_from_db()
    assert (path.hours, path.provider) == (70, unit)
    shown = text(client.get(page))
    assert "Durée doublée" in shown
    assert "<del>35</del> → <ins>70</ins>" in shown
    assert "Léa Roy" in shown


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"title": "Data et IA"}, "Le registre a déjà ce parcours"),
        ({"hours": "0"}, "Assurez-vous que cette valeur est supérieure ou égale à 1"),
        ({"provider_siren": "123"}, "SIREN"),
        ({"title": "   "}, "Ce champ est obligatoire"),
        ({"reason": ""}, "Ce champ est obligatoire"),
    ],
)
def test_a_training_path_correction_that_breaks_a_rule_is_refused_and_changes_nothing(
    client, officer, changes, rule
):
    path = TrainingPathFactory(title="Cybersécurité des PME")
    # The import knows a path by its title, provider and creation date in its région.
    TrainingPathFactory(title="Data et IA", region=path.region, created_on=path.created_on)
    client.force_login(officer)
    response = client.post(
        reverse("registers:training_path", args=[path.pk]), path_correction(path, **changes)
    )
    assert response.status_code == 422
    assert rule in text(response)
    stored = TrainingPath.objects.get(pk=path.pk)
    assert (stored.title, stored.hours) == ("Cybersécurité des PME", 35)
    assert TrainingPath.history.filter(id=path.pk).count() == 1


def test_a_training_path_is_deleted_with_a_reason_and_its_history_stays(client, officer):
    path = TrainingPathFactory()
    client.force_login(officer)
    delete = reverse("registers:training_path_delete", args=[path.pk])
    assert client.post(delete, {"cancel-reason": ""}).status_code == 422
    assert TrainingPath.objects.filter(pk=path.pk).exists()
    assert client.post(delete, {"cancel-reason": "Importé deux fois"}).status_code == 302
    assert not TrainingPath.objects.filter(pk=path.pk).exists()
    last = TrainingPath.history.filter(id=path.pk).latest("history_date")
    assert (last.history_type, last.history_change_reason) == ("-", "Importé deux fois")
    assert last.history_user == officer


def test_who_may_not_import_the_paths_may_not_correct_them(client):
    path = TrainingPathFactory(title="Cybersécurité des PME")
    # The import is the Region's officers': a cluster's coordinator reads the register only.
    client.force_login(member(OrganisationFactory(), Role.COORDINATOR))
    page = reverse("registers:training_path", args=[path.pk])
    shown = text(client.get(page))
    assert "Cybersécurité des PME" in shown
    assert "Corriger le parcours" not in shown
    assert "Historique" not in shown
    assert client.post(page, path_correction(path, hours="70")).status_code == 403
    delete = reverse("registers:training_path_delete", args=[path.pk])
    assert client.post(delete, {"cancel-reason": "x"}).status_code == 403
    assert TrainingPath.objects.get(pk=path.pk).hours == 35


def test_an_import_that_updates_a_path_shows_in_its_history(client, officer):
    region = RegionFactory()
    ContractFactory(region=region)
    path = TrainingPathFactory(
        title="Soudure", provider_name="AFPA", region=region, created_on=date(2019, 1, 1), hours=3
    )
    client.force_login(officer)
    upload = SimpleUploadedFile(
        "mise-a-jour.csv",
        b"intitule;organisme;siren;modalite;heures;cree_le;lien\n"
        b"Soudure;AFPA;;on_site;12;2019-01-01;\n",
    )
    url = reverse("registers:training_paths_import")
    assert client.post(url, {"region": region.pk, "file": upload}).status_code == 302
    latest = history.entries(TrainingPath.objects.get(pk=path.pk))[0]
    assert latest.reason == "Import du fichier mise-a-jour.csv"
    assert latest.by == "Léa Roy"
    assert [(c.old, c.new) for c in latest.changes if c.field == "durée (heures)"] == [("3", "12")]


def datalab_data(project, **fields) -> dict:
    return {
        "title": project.title,
        "summary": project.summary,
        "region": project.region_id,
        "status": project.status,
        "started_on": project.started_on.isoformat(),
        "partner_sirens": "",
        "other_partners": "",
        "datasets-TOTAL_FORMS": "1",
        "datasets-INITIAL_FORMS": "0",
        "datasets-0-name": "",
        **fields,
    }


@pytest.fixture
def project():
    project = DatalabProjectFactory(title="Mobilités partagées", status="ongoing")
    ContractFactory(region=project.region)
    Dataset.objects.create(project=project, name="Covoiturage", role="uses")
    return project


def test_a_datalab_update_gives_its_reason_and_keeps_its_history(client, officer, project):
    dataset = project.datasets.get()
    client.force_login(officer)
    edit = reverse("registers:datalab_edit", args=[project.pk])
    data = datalab_data(
        project,
        status="done",
        **{
            "datasets-INITIAL_FORMS": "1",
            "datasets-0-id": dataset.pk,
            "datasets-0-project": project.pk,
            "datasets-0-name": "Covoiturage",
            "datasets-0-role": "uses",
            "datasets-0-licence": "Licence Ouverte 2.0",
        },
    )
    response = client.post(edit, data)
    assert response.status_code == 422
    assert "Ce champ est obligatoire" in text(response)
    project.refresh_from_db()
    assert project.status == "ongoing"
    assert client.post(edit, {**data, "reason": "Projet terminé en juin"}).status_code == 302
    project.refresh_from_db()
    assert project.status == "done"
    shown = text(client.get(edit))
    assert "Projet terminé en juin" in shown
    assert "<del>En cours</del> → <ins>Terminé</ins>" in shown
    # The data set's change is in its own history, with the same reason.
    assert "Historique des jeux de données" in shown
    assert "<del>—</del> → <ins>Licence Ouverte 2.0</ins>" in shown
    assert history.entries(dataset)[0].reason == "Projet terminé en juin"


def test_a_new_datalab_project_needs_no_reason(client, officer):
    region = RegionFactory()
    ContractFactory(region=region)
    client.force_login(officer)
    data = datalab_data(DatalabProjectFactory.build(region=region))
    assert client.post(reverse("registers:datalab_add"), data).status_code == 302
    created = DatalabProject.objects.get()
    assert [entry.kind for entry in history.entries(created)] == ["+"]


def test_a_datalab_project_is_deleted_with_a_reason_and_its_history_stays(client, officer, project):
    dataset = project.datasets.get()
    client.force_login(officer)
    delete = reverse("registers:datalab_delete", args=[project.pk])
    assert client.post(delete, {"cancel-reason": ""}).status_code == 422
    assert client.post(delete, {"cancel-reason": "Saisi deux fois"}).status_code == 302
    assert not DatalabProject.objects.filter(pk=project.pk).exists()
    for model, pk in ((DatalabProject, project.pk), (Dataset, dataset.pk)):
        last = model.history.filter(id=pk).latest("history_date")
        assert (last.history_type, last.history_change_reason) == ("-", "Saisi deux fois")
        assert last.history_user == officer


def test_who_may_not_add_datalab_projects_may_not_correct_or_delete_them(client, project):
    client.force_login(member(OrganisationFactory(), Role.COMPANY_MEMBER))
    edit = reverse("registers:datalab_edit", args=[project.pk])
    assert client.get(edit).status_code == 403
    data = datalab_data(project, title="Pris", reason="x")
    assert client.post(edit, data).status_code == 403
    delete = reverse("registers:datalab_delete", args=[project.pk])
    assert client.post(delete, {"cancel-reason": "x"}).status_code == 403
    project.refresh_from_db()
    assert project.title == "Mobilités partagées"


def test_no_training_path_or_datalab_correction_form_answers_500(officer, project):
    """The training path's and the datalab project's correction forms, swept and fed
    hostile values."""
    from tests.test_fuzz import forms_of, fuzz, signed_in

    path = TrainingPathFactory()
    clients = {"officer": signed_in(officer)}
    forms = [
        ("officer", form)
        for url in (
            reverse("registers:training_path", args=[path.pk]),
            reverse("registers:datalab_edit", args=[project.pk]),
        )
        for form in forms_of(clients["officer"], url)
    ]
    assert sum("reason" in str(form["fields"]) for _who, form in forms) == 4
    fuzz(clients, forms, examples=6)
