"""The reads of the webhooks' pages, each in a fixed number of queries."""

from django.db.models import Count, Prefetch

from filiere.webhooks.models import Attempt, Delivery, Endpoint

RECENT = 50


def endpoints(organisation) -> list[Endpoint]:
    """The organisation's endpoints, each with its count of deliveries."""
    return list(
        Endpoint.objects.filter(organisation=organisation).annotate(sent=Count("deliveries"))
    )


def recent_deliveries(endpoint) -> list[Delivery]:
    """The endpoint's latest deliveries, newest first, each with its attempts (the last one's
    answer is what the page shows)."""
    deliveries = list(
        endpoint.deliveries.prefetch_related(
            Prefetch("tries", queryset=Attempt.objects.order_by("number"))
        )[:RECENT]
    )
    for delivery in deliveries:
        tries = list(delivery.tries.all())
        delivery.last_try = tries[-1] if tries else None
    return deliveries
