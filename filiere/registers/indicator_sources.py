"""Contract indicators computed from the registers, over the contract's région."""

from datetime import date
from decimal import Decimal

from filiere.programme.sources import cumulative_counts, region_departement_codes, register_source
from filiere.registers.enums import ThirdPlaceStatus
from filiere.registers.models import (
    Cohort,
    DatalabProject,
    Hosting,
    Residence,
    ThirdPlace,
    TrainingPath,
)


def _hostings(contract):
    return Hosting.objects.filter(
        cohort__residence__departement_code__in=region_departement_codes(contract)
    )


@register_source(
    "registers.firms_hosted",
    "Entreprises accueillies dans les résidences thématiques (cumul)",
    uses_demo_data=lambda contract: _hostings(contract).filter(is_demo=True).exists(),
    reads=(Residence, Cohort, Hosting),
)
def firms_hosted(contract, dates: list[date]) -> list[Decimal]:
    rows = list(
        _hostings(contract)
        .filter(entered_on__gte=contract.start_date)
        .values_list("entered_on", "legal_unit_id", "firm_name")
    )
    return [
        Decimal(len({unit or name.lower() for entered, unit, name in rows if entered <= day}))
        for day in dates
    ]


@register_source(
    "registers.datalab_projects",
    "Projets collaboratifs lancés au datalab (cumul)",
    uses_demo_data=lambda contract: DatalabProject.objects.filter(
        region=contract.region_id, is_demo=True
    ).exists(),
    reads=(DatalabProject,),
)
def datalab_projects(contract, dates: list[date]) -> list[Decimal]:
    days = list(
        DatalabProject.objects.filter(region=contract.region_id).values_list(
            "started_on", flat=True
        )
    )
    return cumulative_counts(contract, days, dates)


def _labelled_places(contract):
    return ThirdPlace.objects.filter(
        departement_code__in=region_departement_codes(contract),
        status=ThirdPlaceStatus.LABELLED,
        decided_on__isnull=False,
    )


@register_source(
    "registers.third_places_labelled_in_year",
    "Tiers-lieux labellisés depuis le 1er janvier de l'année",
    uses_demo_data=lambda contract: _labelled_places(contract).filter(is_demo=True).exists(),
    reads=(ThirdPlace,),
)
def third_places_labelled_in_year(contract, dates: list[date]) -> list[Decimal]:
    days = list(_labelled_places(contract).values_list("decided_on", flat=True))
    return [Decimal(sum(1 for d in days if date(day.year, 1, 1) <= d <= day)) for day in dates]


@register_source(
    "registers.training_paths",
    "Parcours de formation multimodaux créés (cumul)",
    uses_demo_data=lambda contract: TrainingPath.objects.filter(
        region=contract.region_id, is_demo=True
    ).exists(),
    reads=(TrainingPath,),
)
def training_paths(contract, dates: list[date]) -> list[Decimal]:
    days = list(
        TrainingPath.objects.filter(region=contract.region_id).values_list("created_on", flat=True)
    )
    return cumulative_counts(contract, days, dates)
