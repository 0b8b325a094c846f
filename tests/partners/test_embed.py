"""The need form partners embed in their sites: framed by any site, tagged with the partner's
campaign, posted without the CSRF cookie a cross-site frame does not send."""

from django.core import mail
from django.test import Client

from filiere.needs.enums import NeedStatus
from filiere.needs.models import Need

FORM = {
    "text": "Nous voulons vendre nos cidres en ligne : une boutique avec paiement",
    "domain": "web",
    "budget": "5k_20k",
    "place": "Caen (14118)",
    "company_name": "Cidrerie du Bocage",
    "is_creator": "on",
    "contact_name": "Jeanne Lemoine",
    "contact_email": "jeanne@cidrerie.test",
    "consent": "on",
    "form_token": "0b6a3c8e7f0d4c1e9a2b3c4d5e6f7a8b",
}


def test_the_embedded_form_may_be_framed_and_the_public_one_not(client, world):
    embedded = client.get("/besoins/integrer/", {"campagne": "salon-2018"})
    assert embedded.status_code == 200
    assert "X-Frame-Options" not in embedded
    assert "frame-ancestors *" in embedded["Content-Security-Policy"]
    public = client.get("/besoins/deposer/")
    assert public["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]


def test_a_post_without_csrf_cookie_records_the_need_with_its_campaign(world):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/besoins/integrer/?campagne=salon-2018", FORM)
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in response.content.decode()
    need = Need.objects.get()
    # Posted by a visitor: its address is confirmed as from the public form.
    assert (need.campaign, need.status) == ("salon-2018", NeedStatus.UNCONFIRMED)
    assert mail.outbox[-1].to == ["jeanne@cidrerie.test"]
    # The same form sent again records nothing more.
    browser.post("/besoins/integrer/?campagne=salon-2018", FORM)
    assert Need.objects.count() == 1


def test_a_bad_campaign_is_said_and_nothing_recorded(client, world):
    response = client.post("/besoins/integrer/?campagne=Salon%202018", FORM)
    assert response.status_code == 400
    assert "minuscules" in response.content.decode()
    assert not Need.objects.exists()


def test_the_honeypot_and_the_rate_limit_hold(client, world, settings):
    trapped = client.post("/besoins/integrer/", {**FORM, "site_web": "http://spam.test"})
    assert trapped.status_code == 422
    assert not Need.objects.exists()
    settings.FILIERE_LIMIT_NEED_FORM = "1/h"
    client.post("/besoins/integrer/", {**FORM, "form_token": "1" * 32})
    limited = client.post("/besoins/integrer/", {**FORM, "form_token": "2" * 32})
    assert limited.status_code == 429
    assert Need.objects.count() == 1
