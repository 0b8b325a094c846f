"""Reads of the registers for their pages, exports, map and API, each in a fixed number of
queries."""

from datetime import date

from django.db.models import Count, Q

from filiere.common import history
from filiere.registers.enums import ThirdPlaceStatus
from filiere.registers.models import (
    DatalabProject,
    Dataset,
    Hosting,
    Residence,
    ThirdPlace,
    TrainingPath,
)
from filiere.territory.models import Departement


def present_q(day: date, through: str = "") -> Q:
    """Hostings of firms in their residence on a day (entered by then, not yet left);
    ``through`` is the path to the hostings from the model filtered."""
    return Q(**{f"{through}entered_on__lte": day}) & (
        Q(**{f"{through}left_on__isnull": True}) | Q(**{f"{through}left_on__gt": day})
    )


def residences_with_presence(day: date):
    """The residences, each with how many firms it hosts on a day (``present``)."""
    return Residence.objects.select_related("operator").annotate(
        present=Count("cohorts__hostings", filter=present_q(day, through="cohorts__hostings__"))
    )


def registers_summary(today: date) -> dict:
    """What the registers' home page counts, beside the residences."""
    return {
        "datalab_count": DatalabProject.objects.count(),
        "labelled_this_year": ThirdPlace.objects.filter(
            status=ThirdPlaceStatus.LABELLED, decided_on__year=today.year
        ).count(),
        "third_place_count": ThirdPlace.objects.count(),
        "training_count": TrainingPath.objects.count(),
    }


def hostings(*, residence=None, outcome: str = "", present_today: date | None = None):
    """The hostings, filtered by residence, outcome, and presence on a day when given."""
    rows = Hosting.objects.select_related("cohort__residence", "legal_unit")
    if residence is not None:
        rows = rows.filter(cohort__residence=residence)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if present_today is not None:
        rows = rows.filter(present_q(present_today))
    return rows


def datalab_projects(*, status: str = "", q: str = ""):
    rows = DatalabProject.objects.prefetch_related("partners", "datasets")
    if status:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return rows


def dataset_histories(project: DatalabProject) -> list[tuple[str, list]]:
    """The history of each data set the project has had, deleted ones too: its last name and
    its entries (``common.history``), in the order they were first recorded."""
    names: dict[int, str] = {}
    records = Dataset.history.filter(project_id=project.pk).order_by("history_date", "history_id")
    for record_id, name in records.values_list("id", "name"):
        names[record_id] = name
    entries = history.entries_by_pk(Dataset, names)
    return [(name, entries[pk]) for pk, name in names.items() if pk in entries]


def third_places(*, status: str = "", departement: str = "", q: str = ""):
    rows = ThirdPlace.objects.all()
    if status:
        rows = rows.filter(status=status)
    if departement:
        rows = rows.filter(departement_code=departement)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(city__icontains=q))
    return rows


def third_place_points(places):
    """The places of a list that have coordinates: (pk, name, city, latitude, longitude)."""
    return places.filter(latitude__isnull=False, longitude__isnull=False).values_list(
        "pk", "name", "city", "latitude", "longitude"
    )


def third_place_departements():
    """The départements that have a place in the register, in code order."""
    return Departement.objects.filter(
        code__in=ThirdPlace.objects.values("departement_code")
    ).order_by("code")


def training_paths(*, modality: str = "", year: int | None = None, q: str = ""):
    rows = TrainingPath.objects.select_related("provider")
    if modality:
        rows = rows.filter(format=modality)
    if year:
        rows = rows.filter(created_on__gte=date(year, 1, 1), created_on__lte=date(year, 12, 31))
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(provider_name__icontains=q))
    return rows
