"""Reads of the support flow, each in a fixed number of queries."""

from datetime import date

from django.db.models import Avg, Count

from filiere.support.models import RoutingRule, SupportNeed


def received_between(needs, start: date | None = None, end: date | None = None):
    """The needs received (recorded) from ``start`` to ``end``, both days included, in local
    time: the period of the list's export and of the offices' activity (``activity``)."""
    if start:
        needs = needs.filter(created_at__date__gte=start)
    if end:
        needs = needs.filter(created_at__date__lte=end)
    return needs


def support_needs(
    needs,
    *,
    status: str = "",
    subject: str = "",
    start: date | None = None,
    end: date | None = None,
):
    needs = received_between(needs, start, end)
    if status:
        needs = needs.filter(status=status)
    if subject:
        needs = needs.filter(subject=subject)
    return needs.select_related("legal_unit", "taken_office").prefetch_related("offices")


def need_events(need: SupportNeed):
    return list(need.events.select_related("user", "office"))


def need_notes(need: SupportNeed):
    """The need's notes, oldest first, each with its author."""
    return list(need.notes.select_related("author"))


def satisfaction_summary(needs) -> dict:
    return needs.exclude(satisfaction=None).aggregate(
        answers=Count("id", distinct=True), average=Avg("satisfaction")
    )


def routing_rules():
    return RoutingRule.objects.select_related("office").order_by(
        "subject", "departement", "office__name"
    )
