"""A delivery is signed, sent by a worker, tried again while the receiver fails, logged with
each answer; an endpoint that keeps failing is switched off and its admins are mailed; a
delivery whose task was lost is sent by the sweep."""

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from filiere.common.refusals import Refused
from filiere.webhooks import services, tasks
from filiere.webhooks.enums import DeliveryStatus, WebhookEvent
from filiere.webhooks.models import Delivery, Endpoint
from filiere.webhooks.sending import signature
from tests.processes import free_port

pytestmark = pytest.mark.django_db

DATA = {"need": {"kind": "support", "id": 7, "status": "new"}}


def register(partner, url, events=(WebhookEvent.NEED_RECEIVED,)) -> Endpoint:
    organisation, admin = partner
    return services.endpoint_create(
        user=admin, organisation=organisation, url=url, events=list(events)
    )


def verify(secret: str, header: str, body: str, *, tolerance: int = 300) -> bool:
    """The partner's check, as the README tells it (written apart from the platform's)."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return abs(time.time() - timestamp) <= tolerance and hmac.compare_digest(expected, fields["v1"])


def test_a_delivery_is_signed_with_a_timestamp_and_logged_with_its_answer(partner, receiver):
    endpoint = register(partner, receiver.url)
    assert services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]]) == 1

    [received] = receiver.received
    delivery = Delivery.objects.get()
    assert received.path == "/hooks/filiere"
    assert received.headers["X-Filiere-Event"] == "need.received"
    assert received.headers["X-Filiere-Delivery"] == str(delivery.pk)
    assert received.headers["Content-Type"] == "application/json; charset=utf-8"
    assert verify(endpoint.secret, received.headers["X-Filiere-Signature"], received.body)
    assert not verify("whsec_another", received.headers["X-Filiere-Signature"], received.body)
    assert not verify(endpoint.secret, received.headers["X-Filiere-Signature"], received.body + " ")
    body = received.json
    assert body["version"] == 1
    assert body["event"] == "need.received"
    assert body["id"] == str(delivery.occurrence)
    assert body["data"] == DATA
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    [attempt] = delivery.tries.all()
    assert (attempt.status_code, attempt.excerpt, attempt.error) == (200, '{"ok": true}', "")


def test_an_old_signature_is_refused_by_the_partners_check(partner, receiver):
    endpoint = register(partner, receiver.url)
    services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]])
    [received] = receiver.received
    old = int(time.time()) - 3600
    header = signature(endpoint.secret, old, received.body)
    assert not verify(endpoint.secret, header, received.body)


def test_only_the_chosen_events_of_active_endpoints_are_sent(partner, receiver):
    register(partner, receiver.url, events=[WebhookEvent.NEED_TAKEN])
    assert services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]]) == 0
    other = register(partner, receiver.url, events=[WebhookEvent.NEED_RECEIVED])
    services.endpoint_switch(user=partner[1], endpoint=other, on=False)
    assert services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]]) == 0
    assert services.emit(WebhookEvent.NEED_TAKEN, DATA, organisations=[partner[0].pk]) == 1
    assert receiver.events() == ["need.taken"]


def test_a_500_is_retried_then_the_delivery_succeeds(partner, receiver):
    endpoint = register(partner, receiver.url)
    receiver.answers = [500, 503]
    services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]])

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
    tries = list(delivery.tries.values_list("number", "status_code", "excerpt"))
    assert tries == [
        (1, 500, "Internal error, try later"),
        (2, 503, "Internal error, try later"),
        (3, 200, '{"ok": true}'),
    ]
    # The same body each time, signed again at each attempt.
    assert len({r.body for r in receiver.received}) == 1
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failures) == (True, 0)


def test_a_4xx_is_not_retried(partner, receiver):
    register(partner, receiver.url)
    receiver.answers = [410]
    services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert Endpoint.objects.get().failures == 1


def test_an_endpoint_that_keeps_failing_is_switched_off_and_its_admin_mailed(
    partner, receiver, settings
):
    settings.FILIERE_WEBHOOK_FAILURES = 2
    organisation, admin = partner
    endpoint = register(partner, receiver.url)
    receiver.answers = [500] * 100

    services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[organisation])
    first = Delivery.objects.get()
    assert (first.status, first.attempts) == (DeliveryStatus.FAILED, services.ATTEMPTS)
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failures) == (True, 1)
    assert mail.outbox == []

    services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[organisation])
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failures) == (False, 2)
    assert endpoint.switched_off_at is not None
    assert endpoint.off_reason == "HTTP 500"
    assert len(receiver.received) == 2 * services.ATTEMPTS
    [message] = mail.outbox
    assert message.to == [admin.email]
    assert "Partenaire CRM" in message.subject
    assert receiver.url in message.body
    assert f"/comptes/organisations/crm-partenaire/webhooks/{endpoint.pk}/" in message.body

    # Off: nothing more is written for it, until its admin switches it on again.
    assert services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[organisation]) == 0
    services.endpoint_switch(user=admin, endpoint=endpoint, on=True)
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failures, endpoint.switched_off_at) == (True, 0, None)
    receiver.answers = []
    assert services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[organisation]) == 1
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 1


def test_a_receiver_that_cannot_be_reached_is_retried_and_the_error_kept(partner):
    register(partner, f"http://127.0.0.1:{free_port()}/nobody")
    services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, services.ATTEMPTS)
    errors = set(delivery.tries.values_list("error", flat=True))
    assert len(errors) == 1
    assert errors.pop().startswith("ConnectionRefusedError")


def test_a_test_reaches_an_endpoint_switched_off_and_does_not_count(partner, receiver):
    organisation, admin = partner
    endpoint = register(partner, receiver.url)
    services.endpoint_switch(user=admin, endpoint=endpoint, on=False)
    receiver.answers = [500] * services.ATTEMPTS
    services.endpoint_test(user=admin, endpoint=endpoint)
    services.endpoint_test(user=admin, endpoint=endpoint)
    assert receiver.events() == ["ping"] * (services.ATTEMPTS + 1)
    endpoint.refresh_from_db()
    assert endpoint.failures == 0
    assert list(Delivery.objects.values_list("status", flat=True)) == [
        DeliveryStatus.DELIVERED,
        DeliveryStatus.FAILED,
    ]


def test_a_delivery_whose_task_was_lost_is_sent_by_the_sweep(partner, receiver, monkeypatch):
    register(partner, receiver.url)

    def broker_down(*args, **kwargs):
        raise BrokerUnreachable("Connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.deliver, "delay", broker_down)
        services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]])
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert tasks.resend_lost_deliveries() == 0  # not late yet: its task may still come
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=6))
    assert tasks.resend_lost_deliveries() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert receiver.events() == ["need.received"]
    # A worker that stopped mid-attempt: the delivery is tried again, its attempt counted.
    Delivery.objects.update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=20)
    )
    assert tasks.resend_lost_deliveries() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_finished_deliveries_are_purged_after_30_days(partner, receiver):
    register(partner, receiver.url)
    receiver.answers = [410]
    for _ in range(3):
        services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]])
    old, recent, pending = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=31))
    Delivery.objects.filter(pk=pending.pk).update(
        status=DeliveryStatus.PENDING, finished_at=timezone.now() - timedelta(days=31)
    )
    assert tasks.purge_old_deliveries() == 2  # the delivery and its attempt
    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}


def test_a_delivery_taken_twice_is_sent_once(partner, receiver):
    register(partner, receiver.url)
    services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]])
    assert tasks.deliver.delay(Delivery.objects.get().pk).get() == "skipped"
    assert len(receiver.received) == 1


@pytest.mark.parametrize(
    ("url", "allowed", "rule_message"),
    [
        ("http://127.0.0.1:8000/hook", False, "réseau privé"),
        ("https://10.1.2.3/hook", False, "réseau privé"),
        ("https://[::1]/hook", False, "réseau privé"),
        ("https://169.254.169.254/latest/meta-data", False, "réseau privé"),
        ("http://93.184.216.34/hook", False, "https://"),
        ("http://93.184.216.34/hook", True, "https://"),
        ("ftp://93.184.216.34/hook", True, "https://"),
        ("https://user:pass@93.184.216.34/hook", False, "identifiant"),
    ],
)
def test_unsafe_addresses_are_refused(partner, settings, url, allowed, rule_message):
    settings.FILIERE_WEBHOOK_ALLOW_PRIVATE = allowed
    with pytest.raises(Refused) as refusal:
        register(partner, url)
    assert (refusal.value.rule, refusal.value.field) == ("webhooks.unsafe_url", "url")
    assert rule_message in str(refusal.value.message)
    assert not Endpoint.objects.exists()


def test_a_public_https_address_is_taken_and_an_endpoint_needs_an_event(partner, settings):
    settings.FILIERE_WEBHOOK_ALLOW_PRIVATE = False
    endpoint = register(partner, "https://93.184.216.34/hook")
    assert endpoint.events == ["need.received"]
    with pytest.raises(Refused) as refusal:
        register(partner, "https://93.184.216.34/hook", events=["ping"])
    assert refusal.value.field == "events"


def test_a_name_that_resolves_to_nothing_is_tried_again(partner, receiver, monkeypatch):
    register(partner, receiver.url)

    def dns_down(*args, **kwargs):
        raise OSError("Temporary failure in name resolution")

    monkeypatch.setattr("filiere.webhooks.targets.socket.getaddrinfo", dns_down)
    services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, services.ATTEMPTS)
    assert "ne correspond à aucune adresse" in delivery.tries.first().error


def test_an_address_that_became_private_is_not_sent_to(partner, receiver, settings):
    register(partner, receiver.url)
    settings.FILIERE_WEBHOOK_ALLOW_PRIVATE = False
    services.emit(WebhookEvent.NEED_RECEIVED, DATA, organisations=[partner[0]])
    assert receiver.received == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "réseau privé" in delivery.tries.get().error
    assert json.loads(delivery.body)["data"] == DATA
