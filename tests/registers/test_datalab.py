import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.registers import services
from filiere.registers.models import DatalabProject
from tests.factories import (
    ContractFactory,
    DatalabProjectFactory,
    LegalUnitFactory,
    OrganisationFactory,
    RegionFactory,
    member,
)


def form_data(region, **fields) -> dict:
    return {
        "title": "Mobilités partagées",
        "summary": "Croiser les données de covoiturage et de transport.",
        "region": region.pk,
        "status": "planned",
        "started_on": "2019-04-01",
        "partner_sirens": "",
        "other_partners": "Université de Rouen",
        "datasets-TOTAL_FORMS": "2",
        "datasets-INITIAL_FORMS": "0",
        "datasets-0-name": "Base nationale du covoiturage",
        "datasets-0-role": "uses",
        "datasets-0-url": "https://transport.data.gouv.fr",
        "datasets-1-name": "",
        **fields,
    }


def test_an_officer_adds_a_project_then_updates_it(client, db):
    region = RegionFactory()
    ContractFactory(region=region)
    unit, other = LegalUnitFactory(name="Cloud Normand"), LegalUnitFactory(name="Data Rouen")
    client.force_login(member(OrganisationFactory(), Role.PROGRAMME_OFFICER))
    url = reverse("registers:datalab_add")
    unknown = LegalUnitFactory.build().siren
    response = client.post(url, form_data(region, partner_sirens=f"{unit.siren}, {unknown}"))
    assert response.status_code == 422
    assert f"Absents de l'annuaire : {unknown}" in html.unescape(response.content.decode())
    response = client.post(url, form_data(region, **{"datasets-0-url": "pas une adresse"}))
    assert response.status_code == 422
    assert not DatalabProject.objects.exists()

    client.post(url, form_data(region, partner_sirens=f"{unit.siren}\n{other.siren}"))
    project = DatalabProject.objects.get()
    assert set(project.partners.all()) == {unit, other}
    assert [d.name for d in project.datasets.all()] == ["Base nationale du covoiturage"]
    assert not project.is_demo

    edit = reverse("registers:datalab_edit", args=[project.pk])
    assert unit.siren in client.get(edit).content.decode()
    dataset = project.datasets.get()
    client.post(
        edit,
        form_data(
            region,
            status="ongoing",
            partner_sirens=unit.siren,
            reason="Projet lancé",
            **{
                "datasets-INITIAL_FORMS": "1",
                "datasets-0-id": dataset.pk,
                "datasets-0-project": project.pk,
                "datasets-1-name": "Tableau de bord des mobilités",
                "datasets-1-role": "publishes",
            },
        ),
    )
    project.refresh_from_db()
    assert project.status == "ongoing"
    assert list(project.partners.all()) == [unit]
    assert sorted(project.datasets.values_list("role", flat=True)) == ["publishes", "uses"]

    # A data set ticked for deletion goes, the others stay as they are.
    published = project.datasets.get(role="publishes")
    client.post(
        edit,
        form_data(
            region,
            status="done",
            reason="Projet terminé",
            **{
                "datasets-TOTAL_FORMS": "4",
                "datasets-INITIAL_FORMS": "2",
                "datasets-0-id": dataset.pk,
                "datasets-0-project": project.pk,
                "datasets-0-DELETE": "on",
                "datasets-1-id": published.pk,
                "datasets-1-project": project.pk,
                "datasets-1-name": published.name,
                "datasets-1-role": "publishes",
                "datasets-1-licence": "Licence Ouverte 2.0",
                "datasets-2-name": "",
                "datasets-3-name": "",
            },
        ),
    )
    assert list(project.datasets.values_list("pk", "name", "licence")) == [
        (published.pk, "Tableau de bord des mobilités", "Licence Ouverte 2.0")
    ]


def test_only_officers_and_coordinators_edit_the_datalab(client, db):
    project = DatalabProjectFactory()
    client.force_login(member(OrganisationFactory(), Role.COMPANY_MEMBER))
    assert "Ajouter un projet" not in client.get(reverse("registers:datalab")).content.decode()
    assert client.get(reverse("registers:datalab_add")).status_code == 403
    edit = reverse("registers:datalab_edit", args=[project.pk])
    assert client.post(edit, form_data(project.region, title="Pris")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.datalab_project_save(
            user=member(OrganisationFactory(), Role.ADVISER),
            project=project,
            fields={"title": "Pris"},
            partners=[],
            datasets=[],
        )
    project.refresh_from_db()
    assert project.title != "Pris"
