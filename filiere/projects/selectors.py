"""Reads the project pages need, written once."""

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce


def project_list(projects, *, state: str = "", market: str = "", q: str = ""):
    """Projects with their lead, cluster, partner count and total budget, in one query."""
    if state:
        projects = projects.filter(state=state)
    if market:
        projects = projects.filter(market=market)
    if q:
        projects = projects.filter(
            Q(title__icontains=q) | Q(acronym__icontains=q) | Q(lead__name__icontains=q)
        )
    return (
        projects.select_related("lead", "cluster")
        .annotate(
            partner_count=Count("partners", distinct=True),
            budget=Coalesce(
                Sum("partners__budget"), Value(0), output_field=DecimalField(max_digits=14)
            ),
        )
        .order_by("-updated_at", "pk")
    )
