"""Contract indicator computed from the support needs: needs of digital firms handled."""

from datetime import date
from decimal import Decimal

from django.db.models.functions import TruncDate

from filiere.programme.sources import cumulative_counts, region_departement_codes, register_source
from filiere.support.enums import SupportStatus
from filiere.support.models import SupportNeed


def _region_needs(contract):
    return SupportNeed.objects.filter(departement_code__in=region_departement_codes(contract))


@register_source(
    "support.needs_handled",
    "Besoins d'accompagnement des entreprises du numérique traités (cumul)",
    uses_demo_data=lambda contract: _region_needs(contract).filter(is_demo=True).exists(),
    reads=(SupportNeed,),
)
def needs_handled(contract, dates: list[date]) -> list[Decimal]:
    days = list(
        _region_needs(contract)
        .filter(status=SupportStatus.DONE)
        .annotate(day=TruncDate("closed_at"))
        .values_list("day", flat=True)
    )
    return cumulative_counts(contract, days, dates)
