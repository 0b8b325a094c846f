"""Which aid schemes a project is eligible for, and how well each one fits.

A scheme states its eligibility as a few criteria, each optional (empty means
"no restriction"): firm size categories (INSEE: MIC, PME, ETI, GE), a maturity
range (TRL), the départements it covers, the themes (markets) it targets, and
an application window. A project is eligible when it meets every criterion the
scheme sets. Among eligible schemes, one that *targets* the project (its
theme, its territory, its stage, its size) fits better than a generic one; ties
go to the nearest deadline, then to schemes without a deadline.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from engine.register.jobs import HEADCOUNT_BANDS

SIZE_CATEGORIES = ("MIC", "PME", "ETI", "GE")


def size_category(headcount_band: str | None) -> str | None:
    """The INSEE size category of a SIRENE headcount band (by headcount alone)."""
    if not headcount_band or headcount_band not in HEADCOUNT_BANDS:
        return None
    high = HEADCOUNT_BANDS[headcount_band][2]
    if high < 10:
        return "MIC"
    if high < 250:
        return "PME"
    if high < 5000:
        return "ETI"
    return "GE"


@dataclass(frozen=True)
class Scheme:
    id: str
    sizes: frozenset[str] = frozenset()
    trl_min: int | None = None
    trl_max: int | None = None
    departements: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()
    closes_on: date | None = None


@dataclass(frozen=True)
class Applicant:
    size: str | None = None
    trl: int | None = None
    departement: str | None = None
    themes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fit:
    """The verdict on one scheme: criteria met (targeted ones), criteria failed."""

    scheme_id: str
    met: tuple[str, ...]
    failed: tuple[str, ...]
    closes_on: date | None

    @property
    def eligible(self) -> bool:
        return not self.failed

    @property
    def score(self) -> int:
        return len(self.met)


def assess(scheme: Scheme, applicant: Applicant, today: date) -> Fit:
    """Check each criterion the scheme sets; an unknown applicant value fails a set criterion."""
    met: list[str] = []
    failed: list[str] = []

    def check(name: str, is_set: bool, ok: bool) -> None:
        if is_set:
            (met if ok else failed).append(name)

    check("size", bool(scheme.sizes), applicant.size in scheme.sizes)
    stage_set = scheme.trl_min is not None or scheme.trl_max is not None
    check(
        "stage",
        stage_set,
        applicant.trl is not None
        and (scheme.trl_min is None or applicant.trl >= scheme.trl_min)
        and (scheme.trl_max is None or applicant.trl <= scheme.trl_max),
    )
    check("territory", bool(scheme.departements), applicant.departement in scheme.departements)
    check("theme", bool(scheme.themes), bool(scheme.themes & applicant.themes))
    if scheme.closes_on is not None and scheme.closes_on < today:
        failed.append("closed")
    return Fit(
        scheme_id=scheme.id, met=tuple(met), failed=tuple(failed), closes_on=scheme.closes_on
    )


def eligible_schemes(schemes: Iterable[Scheme], applicant: Applicant, today: date) -> list[Fit]:
    """The schemes the applicant is eligible for, best fit first, then nearest deadline."""
    fits = [f for f in (assess(s, applicant, today) for s in schemes) if f.eligible]
    return sorted(
        fits,
        key=lambda f: (-f.score, f.closes_on is None, f.closes_on or date.max, f.scheme_id),
    )
