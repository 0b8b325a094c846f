"""Contract indicators computed from the innovation projects of the contract's clusters.

A project counts for a contract when the cluster that instructs it coordinates
one of the contract's actions.
"""

from datetime import date
from decimal import Decimal

from django.db.models.functions import TruncDate

from filiere.programme.sources import cumulative_counts, register_source
from filiere.projects.enums import ProjectState
from filiere.projects.models import Funding, Project, Transition


def _projects(contract):
    return Project.objects.filter(cluster__coordinated_actions__axis__contract=contract).distinct()


def _demo(contract) -> bool:
    cache = contract.__dict__
    if "_projects_demo" not in cache:
        cache["_projects_demo"] = _projects(contract).filter(is_demo=True).exists()
    return cache["_projects_demo"]


def _first_reached(contract, state: str) -> dict[int, date]:
    """Each project's first day in a state, from its history."""
    first: dict[int, date] = {}
    rows = (
        Transition.objects.filter(project__in=_projects(contract), to_state=state)
        .annotate(day=TruncDate("at"))
        .order_by("at")
        .values_list("project_id", "day")
    )
    for project_id, day in rows:
        first.setdefault(project_id, day)
    return first


@register_source(
    "projects.labelled",
    "Projets innovants labellisés par le pôle (cumul)",
    uses_demo_data=_demo,
    reads=(Project, Transition, Funding),
)
def projects_labelled(contract, dates: list[date]) -> list[Decimal]:
    return cumulative_counts(
        contract, _first_reached(contract, ProjectState.LABELLED).values(), dates
    )


@register_source(
    "projects.funded",
    "Projets innovants financés (cumul)",
    uses_demo_data=_demo,
    reads=(Project, Transition, Funding),
)
def projects_funded(contract, dates: list[date]) -> list[Decimal]:
    return cumulative_counts(
        contract, _first_reached(contract, ProjectState.FUNDED).values(), dates
    )


@register_source(
    "projects.amount_raised",
    "Financements obtenus par les projets innovants, en euros (cumul)",
    uses_demo_data=_demo,
    reads=(Project, Transition, Funding),
)
def amount_raised(contract, dates: list[date]) -> list[Decimal]:
    rows = list(
        Funding.objects.kept()
        .filter(project__in=_projects(contract), granted_on__gte=contract.start_date)
        .values_list("granted_on", "amount")
    )
    return [sum((a for d, a in rows if d <= day), Decimal(0)) for day in dates]
