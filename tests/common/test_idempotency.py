"""A form that creates is taken once: the same form sent twice records one row."""

import re
import uuid

from django.core import mail
from django.urls import reverse

from filiere.common.models import FormSubmission
from filiere.needs.models import Need
from filiere.programme.models import BudgetCommitment
from filiere.territory.models import Commune
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory
from tests.programme.test_views import SLUG, officer


def token_of(page: str) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]{32})"', page).group(1)


def test_a_commitment_sent_twice_is_recorded_once(client, normandy_contract):
    client.force_login(officer(normandy_contract))
    action = reverse("programme:action", kwargs={"slug": SLUG, "code": "4.1"})
    url = reverse("programme:commitment_create", kwargs={"slug": SLUG, "code": "4.1"})
    page = client.get(action).content.decode()
    data = {
        "year": "2019",
        "beneficiary": normandy_contract.owner.pk,
        "label": "Salon",
        "amount_eur": "1000",
        "committed_on": "2019-05-01",
        "form_token": token_of(page),
    }
    before = BudgetCommitment.objects.count()
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, HTTP_REFERER=f"http://testserver{action}", follow=True)
    assert "Ce formulaire a déjà été envoyé" in again.content.decode()
    assert BudgetCommitment.objects.count() == before + 1


def test_a_form_sent_back_with_its_errors_keeps_its_token_free(client, normandy_contract):
    client.force_login(officer(normandy_contract))
    url = reverse("programme:commitment_create", kwargs={"slug": SLUG, "code": "4.1"})
    token = uuid.uuid4().hex
    data = {
        "year": "2019",
        "beneficiary": normandy_contract.owner.pk,
        "label": "Salon",
        "amount_eur": "999999",  # over the envelope: refused at the field
        "committed_on": "2019-05-01",
        "form_token": token,
    }
    assert client.post(url, data).status_code == 422
    assert not FormSubmission.objects.filter(token=token).exists()
    data["amount_eur"] = "1000"
    assert client.post(url, data).status_code == 302
    assert FormSubmission.objects.filter(token=token).exists()


def test_a_need_sent_twice_is_one_need_and_one_mail(client, db, on_commit_at_once):
    region = RegionFactory()
    CommuneFactory(
        code="14118", name="Caen", departement=DepartementFactory(code="14", region=region)
    )
    page = client.get(reverse("needs:post")).content.decode()
    data = {
        "text": "Un site pour vendre nos cidres en ligne",
        "domain": "web",
        "budget": "unknown",
        "place": "Caen (14118)",
        "company_name": "Cidrerie du Bocage",
        "is_creator": "on",
        "contact_name": "Jeanne Martin",
        "contact_email": "jeanne@cidrerie.test",
        "consent": "on",
        "form_token": token_of(page),
    }
    assert Commune.objects.count() == 1
    assert client.post(reverse("needs:post"), data).status_code == 200
    assert client.post(reverse("needs:post"), data).status_code == 409
    assert Need.objects.count() == 1
    assert len(mail.outbox) == 1
