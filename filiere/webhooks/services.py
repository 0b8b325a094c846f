"""Writes of the webhooks: an organisation's endpoints (registered, changed, secret renewed,
switched on or off, tested), the deliveries the other apps' services emit, and their sending
by a worker, attempt by attempt.

``emit`` writes one delivery per endpoint that chose the event, in the transaction of what
happened (nothing is told of a write that is rolled back), and hands each to a worker once it
commits: the network is never crossed in a request, and a receiver that fails never undoes
the action. A worker restart loses nothing: the row is the truth, and ``deliveries_lost``
gives back those whose task went missing.
"""

import json
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.access import check_runs_team
from filiere.accounts.enums import MailCategory
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import programme_officer_emails, team_admin_emails
from filiere.common.queue import enqueue_on_commit
from filiere.common.refusals import Refused
from filiere.webhooks.enums import SUBSCRIBABLE, DeliveryStatus, WebhookEvent
from filiere.webhooks.models import Attempt, Delivery, Endpoint, new_secret
from filiere.webhooks.sending import post, signature
from filiere.webhooks.targets import UnsafeTarget, check_target

# The version of the body's shape (``version``): a field is added without changing it; one
# renamed or removed would need a new version.
PAYLOAD_VERSION = 1
# Tries of one delivery, the first included, spaced 30 s, 1, 2 then 4 minutes.
ATTEMPTS = 5
FIRST_DELAY = 30
# A pending delivery this long past its time lost its task (a broker outage, a worker
# stopped); one taken this long ago by a worker that never finished it is tried again.
WAITING = timedelta(minutes=5)
TAKEN = timedelta(minutes=15)
# Finished deliveries are kept this long (what the page lists), then deleted with their
# attempts.
KEPT = timedelta(days=30)


class TryAgain(Exception):
    """The receiver could not take the delivery now: the task tries again in ``countdown``
    seconds."""

    def __init__(self, countdown: int, reason: str):
        super().__init__(reason)
        self.countdown = countdown


def _checked(url: str, events: Iterable[str]) -> list[str]:
    try:
        check_target(url)
    except UnsafeTarget as unsafe:
        raise Refused("webhooks.unsafe_url", str(unsafe), field="url") from None
    chosen = [event for event in SUBSCRIBABLE if event in set(events)]
    if not chosen:
        raise Refused("webhooks.no_event", _("Choisissez au moins un événement."), field="events")
    return chosen


@transaction.atomic
def endpoint_create(*, user, organisation, url: str, events: Iterable[str]) -> Endpoint:
    """A new endpoint, active, with a new secret (the page shows it this once)."""
    check_runs_team(user, organisation)
    return Endpoint.objects.create(organisation=organisation, url=url, events=_checked(url, events))


@transaction.atomic
def endpoint_update(*, user, endpoint: Endpoint, url: str, events: Iterable[str]) -> Endpoint:
    check_runs_team(user, endpoint.organisation)
    endpoint.url = url
    endpoint.events = _checked(url, events)
    endpoint.save(update_fields=["url", "events"])
    return endpoint


@transaction.atomic
def endpoint_secret_renew(*, user, endpoint: Endpoint) -> Endpoint:
    """A new secret, at once: deliveries signed from now on use it (the old one is gone)."""
    check_runs_team(user, endpoint.organisation)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint


@transaction.atomic
def endpoint_switch(*, user, endpoint: Endpoint, on: bool) -> Endpoint:
    """Switch the endpoint on (its count of failures starts again) or off."""
    check_runs_team(user, endpoint.organisation)
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.is_active = on
    if on:
        endpoint.failures = 0
        endpoint.switched_off_at = None
        endpoint.off_reason = ""
    endpoint.save(update_fields=["is_active", "failures", "switched_off_at", "off_reason"])
    return endpoint


@transaction.atomic
def endpoint_delete(*, user, endpoint: Endpoint) -> None:
    check_runs_team(user, endpoint.organisation)
    endpoint.delete()


@transaction.atomic
def endpoint_test(*, user, endpoint: Endpoint) -> Delivery:
    """A ``ping`` delivery, sent even to an endpoint switched off (to check it before
    switching it on again); its outcome does not count towards switching it off."""
    check_runs_team(user, endpoint.organisation)
    data = {
        "organisation": endpoint.organisation.slug,
        "endpoint": endpoint.pk,
        "message": "Test envoyé depuis Filière.",
    }
    return _deliveries(WebhookEvent.PING, data, [endpoint])[0]


def emit(event: str, data: dict, *, organisations: Iterable) -> int:
    """Tell ``event`` (its ``data``: ids, links, statuses) to the active endpoints of
    ``organisations`` (objects or ids) that chose it; return how many deliveries were written.
    Called by the services of the apps where things happen, in their transaction."""
    ids = {getattr(organisation, "pk", organisation) for organisation in organisations}
    ids.discard(None)
    if not ids:
        return 0
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(organisation_id__in=ids, is_active=True)
        if event in endpoint.events
    ]
    return len(_deliveries(WebhookEvent(event), data, endpoints))


def _deliveries(event: WebhookEvent, data: dict, endpoints: list[Endpoint]) -> list[Delivery]:
    if not endpoints:
        return []
    now = timezone.now()
    occurrence = uuid.uuid4()
    body = json.dumps(
        {
            "version": PAYLOAD_VERSION,
            "id": str(occurrence),
            "event": event.value,
            "created_at": now.isoformat(),
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
        default=str,
    )
    from filiere.webhooks.tasks import deliver

    deliveries = []
    for endpoint in endpoints:
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            event=event,
            occurrence=occurrence,
            body=body,
            next_attempt_at=now,
        )
        enqueue_on_commit(deliver, delivery.pk)
        deliveries.append(delivery)
    return deliveries


def _delay(attempts: int) -> int:
    return FIRST_DELAY * 2 ** (attempts - 1)


def delivery_send(delivery_id: int) -> str:
    """One attempt of a delivery, by a worker: a delivery already done, or being sent by
    another worker, is left alone. The attempt is kept with its answer. A failure worth
    retrying raises :class:`TryAgain` until the last attempt; a delivery that fails for good
    counts towards switching its endpoint off."""
    now = timezone.now()
    taken = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not taken:
        return "skipped"
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    is_ping = delivery.event == WebhookEvent.PING
    if not endpoint.is_active and not is_ping:
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.DROPPED, finished_at=now
        )
        return "dropped"
    timestamp = int(now.timestamp())
    answer = post(
        endpoint.url,
        delivery.body,
        {
            "X-Filiere-Event": delivery.event,
            "X-Filiere-Delivery": str(delivery.pk),
            "X-Filiere-Signature": signature(endpoint.secret, timestamp, delivery.body),
        },
    )
    Attempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        at=now,
        status_code=answer.status_code,
        excerpt=answer.excerpt,
        error=answer.error,
        duration_ms=answer.duration_ms,
    )
    if answer.succeeded:
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.DELIVERED, finished_at=timezone.now()
        )
        if not is_ping:
            Endpoint.objects.filter(pk=endpoint.pk).update(failures=0)
        return "delivered"
    reason = answer.error or f"HTTP {answer.status_code}"
    if answer.worth_retrying and delivery.attempts < ATTEMPTS:
        countdown = _delay(delivery.attempts)
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.PENDING, next_attempt_at=now + timedelta(seconds=countdown)
        )
        raise TryAgain(countdown, reason)
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.FAILED, finished_at=timezone.now()
    )
    if not is_ping:
        _count_failure(endpoint.pk, reason)
    return "failed"


@transaction.atomic
def _count_failure(endpoint_id: int, reason: str) -> None:
    """One more delivery failed in a row; at the setting's count the endpoint is switched off
    and its organisation's admins are told why and where to switch it on again."""
    endpoint = (
        Endpoint.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=endpoint_id)
    )
    endpoint.failures += 1
    endpoint.save(update_fields=["failures"])
    if not endpoint.is_active or endpoint.failures < settings.FILIERE_WEBHOOK_FAILURES:
        return
    endpoint.is_active = False
    endpoint.switched_off_at = timezone.now()
    endpoint.off_reason = reason[:300]
    endpoint.save(update_fields=["is_active", "switched_off_at", "off_reason"])
    organisation = endpoint.organisation
    # An organisation with no admin left: the programme officers, who bring in its first.
    admins = team_admin_emails(organisation)
    send_on_commit(
        admins or programme_officer_emails(),
        subject=f"Webhook désactivé : {organisation.name}",
        template="webhooks/email/switched_off.txt",
        context={
            "endpoint": endpoint,
            "organisation": organisation,
            "without_admin": not admins,
            "link": absolute_url(
                reverse("webhooks:endpoint", args=[organisation.slug, endpoint.pk])
            ),
        },
        category=MailCategory.TRANSACTIONAL,
    )


def deliveries_lost(now) -> list[int]:
    """The deliveries to hand to a worker again: pending long past their time (their task
    never reached a worker), or taken by a worker that stopped mid-attempt."""
    Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - TAKEN).update(
        status=DeliveryStatus.PENDING
    )
    return list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lt=now - WAITING
        ).values_list("pk", flat=True)
    )


def deliveries_purge(now) -> int:
    """Delete the deliveries finished more than ``KEPT`` ago; return how many."""
    deleted, _by_model = Delivery.objects.filter(
        status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED, DeliveryStatus.DROPPED],
        finished_at__lt=now - KEPT,
    ).delete()
    return deleted
