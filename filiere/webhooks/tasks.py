"""The webhooks' background work: one attempt of a delivery per run, the next one enqueued
with a growing delay; the periodic sweep of deliveries whose task was lost, and the purge of
old ones."""

import logging

from celery import shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)


@shared_task
def deliver(delivery_id: int) -> str:
    """One attempt. The delivery's row counts the attempts and says when the next is due, so
    the next attempt is a new message with its delay rather than a Celery retry: a broker that
    does not take it leaves the row pending, and the sweep sends it."""
    from filiere.webhooks import services

    try:
        return services.delivery_send(delivery_id)
    except services.TryAgain as again:
        try:
            deliver.apply_async((delivery_id,), countdown=again.countdown)
        except BrokerUnreachable:
            logger.exception("Webhook delivery %s not enqueued again", delivery_id)
        return "retrying"


@shared_task
def resend_lost_deliveries() -> int:
    """Hand to a worker again the deliveries no worker took or finished."""
    from filiere.webhooks import services

    lost = services.deliveries_lost(timezone.now())
    for delivery_id in lost:
        deliver.delay(delivery_id)
    return len(lost)


@shared_task
def purge_old_deliveries() -> int:
    from filiere.webhooks import services

    return services.deliveries_purge(timezone.now())
