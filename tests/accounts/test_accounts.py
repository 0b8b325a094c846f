import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.accounts.models import Membership, Organisation, User
from filiere.accounts.notifications import SUBJECT_LENGTH, mail_subject
from filiere.programme import services
from filiere.programme.models import Measurement
from tests.factories import IndicatorFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db


def test_organisation_identifiers_are_checked():
    organisation = OrganisationFactory.build(slug="x", siren="200053403", siret="20005340300016")
    organisation.full_clean()
    organisation.siren = "200053404"
    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()
    assert "siren" in excinfo.value.message_dict


def test_la_poste_establishments_are_accepted():
    OrganisationFactory.build(slug="poste", siren="356000000", siret="35600000010014").full_clean()


def test_a_siret_must_belong_to_its_siren():
    organisation = OrganisationFactory.build(slug="x", siren="200053403", siret="73282932000074")
    with pytest.raises(ValidationError, match="doit commencer par le SIREN"):
        organisation.full_clean()


def test_users_sign_in_with_their_email(client):
    user = User.objects.create_user(email="Claire@Example.fr", password="un-mot-de-passe-sûr")
    assert user.email == "Claire@example.fr"
    response = client.post(
        reverse("account_login"),
        {"login": "Claire@example.fr", "password": "un-mot-de-passe-sûr"},
    )
    assert response.status_code == 302


def test_sign_in_ignores_the_case_of_the_address_as_uniqueness_does(client):
    User.objects.create_user(email="claire@example.fr", password="un-mot-de-passe-sûr")
    response = client.post(
        reverse("account_login"),
        {"login": "CLAIRE@Example.FR", "password": "un-mot-de-passe-sûr"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Cidrerie\r\nBcc: tous@exemple.test", "[Filière] Cidrerie Bcc: tous@exemple.test"),
        ("Projet\u2028 ligne\tsuivante ", "[Filière] Projet ligne suivante"),
    ],
)
def test_a_mail_subject_holds_on_one_line(text, subject):
    assert mail_subject(text) == subject


def test_a_long_subject_is_cut_short():
    subject = mail_subject("x" * 500)
    assert len(subject) == SUBJECT_LENGTH
    assert subject.endswith("…")


@pytest.mark.parametrize("key", ["", "x", "court-mais-pas-assez-" * 2])
def test_production_settings_refuse_a_short_secret_key(key):
    """Outside debug, a key shorter than 50 characters stops the platform at start-up."""
    import os
    import subprocess
    import sys

    environment = {**os.environ, "DJANGO_SECRET_KEY": key, "DEBUG": "0"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", "import filiere.settings.base"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_export_holds_everything_about_the_person(client):
    organisation = OrganisationFactory(name="Pôle TES")
    user = member(organisation, Role.COORDINATOR, first_name="Inès")
    indicator = IndicatorFactory(code="projets-labellises")
    services.measurement_record(
        indicator=indicator, measured_on=date(2018, 1, 1), value=Decimal("4"), recorded_by=user
    )
    client.force_login(user)
    response = client.get(reverse("accounts:export"))
    data = json.loads(response.content)
    assert data["compte"]["email"] == user.email
    assert data["appartenances"][0]["organisation"] == "Pôle TES"
    assert data["mesures_saisies"][0]["indicateur"] == "projets-labellises"
    assert "Inès" in client.get(reverse("accounts:account")).content.decode()


def test_erasure_needs_the_password_and_keeps_the_figures_unsigned(client):
    user = member(OrganisationFactory(), Role.COORDINATOR)
    indicator = IndicatorFactory()
    services.measurement_record(
        indicator=indicator, measured_on=date(2018, 1, 1), value=Decimal("4"), recorded_by=user
    )
    client.force_login(user)
    response = client.post(reverse("accounts:erase"), {"password": "wrong"})
    assert response.status_code == 422
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post(reverse("accounts:erase"), {"password": "motdepasse-test"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Membership.objects.filter(user_id=user.pk).exists()
    measurement = Measurement.objects.get()
    assert measurement.recorded_by is None
    assert measurement.value == 4
    assert client.get(reverse("accounts:account")).status_code == 302  # signed out


def test_admin_pages_open_for_the_back_office(admin_client, normandy_contract):
    from django.contrib import admin

    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url
    organisation = Organisation.objects.get(slug="nwx")
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
    assert admin_client.get(url).status_code == 200
