"""Every read of the open data: the grants, the third places as the national standard wants
them, and when each dataset's data last changed (one aggregate each, a fixed count)."""

import re
import unicodedata
from datetime import datetime

from django.db.models import Max, OuterRef, Prefetch, Subquery

from filiere.directory.models import Establishment, LegalUnit
from filiere.events.models import Event
from filiere.programme.models import (
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    Measurement,
    Payment,
)
from filiere.projects.models import AidScheme
from filiere.registers.models import DatalabProject, Hosting, ThirdPlace, TrainingPath
from filiere.territory.models import Commune


def published_contracts():
    return Contract.objects.published().select_related("owner", "region").order_by("-start_date")


def grants():
    """The commitments that count, of the published contracts' published actions, with their
    contract's owner (the attributor), their beneficiary and their payments that count."""
    return (
        BudgetCommitment.objects.counted()
        .filter(action__axis__contract__is_published=True, action__is_published=True)
        .select_related("action__axis__contract__owner", "beneficiary")
        .prefetch_related(
            Prefetch(
                "payments",
                queryset=Payment.objects.filter(is_cancelled=False).order_by("paid_on", "pk"),
                to_attr="counted_payments",
            )
        )
        .order_by("committed_on", "pk")
    )


def third_places_with_changes():
    """Every third place, with the moment of its last recorded change (its history)."""
    last_change = (
        ThirdPlace.history.model.objects.filter(id=OuterRef("pk"))
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    return ThirdPlace.objects.annotate(changed_at=Subquery(last_change)).order_by("pk")


def _folded(name: str) -> str:
    """A commune's name as sources spell it differently: no accents, case, hyphens."""
    letters = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z]+", " ", letters.upper()).strip()


def commune_codes(departements: set[str]) -> dict[str, dict[str, str]]:
    """The current communes of these départements: by postcode, their codes by folded name."""
    codes: dict[str, dict[str, str]] = {}
    communes = Commune.objects.current().filter(departement__code__in=departements)
    for code, name, postcodes in communes.values_list("code", "name", "postcodes"):
        for postcode in postcodes:
            codes.setdefault(postcode, {})[_folded(name)] = code
    return codes


def commune_code(codes: dict[str, dict[str, str]], postcode: str, name: str) -> str:
    """The code of the commune of this postcode and name (the only one of its postcode when the
    name differs), or none."""
    named = codes.get(postcode, {})
    if _folded(name) in named:
        return named[_folded(name)]
    return next(iter(named.values())) if len(named) == 1 else ""


def _latest(*moments: datetime | None) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def _history(model) -> datetime | None:
    """The last change of a model that keeps its history: creations, corrections and
    deletions alike."""
    return model.history.model.objects.aggregate(last=Max("history_date"))["last"]


def _updated(model) -> datetime | None:
    return model.objects.aggregate(last=Max("updated_at"))["last"]


def last_changes() -> dict[str, datetime | None]:
    """When the data of each dataset of the catalogue last changed, by its slug."""
    establishments = _updated(Establishment)
    commitments = _latest(_history(BudgetCommitment), _history(Payment))
    changes = {
        "annuaire": _latest(establishments, _updated(LegalUnit)),
        "observatoire": establishments,
        "budget": _latest(_history(BudgetAllocation), commitments),
        "subventions": commitments,
        "dispositifs-aide": _updated(AidScheme),
        "tiers-lieux": _history(ThirdPlace),
        "parcours-formation": _history(TrainingPath),
        "residences": _history(Hosting),
        "datalab": _history(DatalabProject),
        "evenements": _history(Event),
    }
    # The indicators are measured, or computed from the registers, events and projects.
    changes["indicateurs"] = _latest(_history(Measurement), *changes.values())
    return changes
