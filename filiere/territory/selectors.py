"""Reads of the reference data that other apps need: commune codes, territories as users
name them (a région, départements or communes), sector definitions."""

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from filiere.territory.models import (
    Commune,
    CommuneCodeChange,
    Departement,
    Region,
    SectorDefinition,
)
from filiere.territory.reference import read_commune_outlines
from filiere.territory.sectors import DIGITAL_SECTOR


def _resolve(code: str, targets: set[str]) -> str | None:
    """The one rule for a former code: a code that still exists (or nothing is known of)
    stays; one that became a single commune takes its code; a commune later split
    between several has no single answer (None)."""
    if not targets or code in targets:
        return code
    if len(targets) == 1:
        return next(iter(targets))
    return None


def current_commune_code(code: str) -> str | None:
    """The 2026 code of a commune code that may predate mergers (see ``_resolve``)."""
    targets = set(
        CommuneCodeChange.objects.filter(old_code=code).values_list("current_code", flat=True)
    )
    return _resolve(code, targets)


def former_commune_codes() -> dict[str, str | None]:
    """Every code that no longer names a commune, with what ``_resolve`` makes of it, in one
    query: for bulk imports."""
    targets: dict[str, set[str]] = defaultdict(set)
    for old, new in CommuneCodeChange.objects.values_list("old_code", "current_code"):
        targets[old].add(new)
    return {old: _resolve(old, news) for old, news in targets.items() if old not in news}


@dataclass(frozen=True)
class Territory:
    label: str
    departements: tuple[str, ...]
    communes: tuple[str, ...] = ()
    region_code: str = ""

    @property
    def key(self) -> str:
        if self.region_code:
            return self.region_code
        return ",".join(self.communes or self.departements)


def parse_territory(text: str) -> Territory:
    """``28`` (a région), ``14,50`` (départements), ``14118,76351`` (communes).

    A single two-digit code is read as a région when one has that code; prefix it
    with ``dep:`` to mean the département (``dep:28`` is Eure-et-Loir).
    """
    text = text.strip()
    if text.startswith("region:"):
        return _region(text.removeprefix("region:"))
    if text.startswith("dep:"):
        return _departements(text.removeprefix("dep:").split(","))
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if not codes:
        raise ValidationError("Territoire vide.")
    if len(codes) == 1 and Region.objects.filter(code=codes[0]).exists():
        return _region(codes[0])
    if all(len(c) == 5 for c in codes):
        return _communes(codes)
    return _departements(codes)


def _region(code: str) -> Territory:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError("Région inconnue : %(code)s.", params={"code": code})
    departements = tuple(region.departements.values_list("code", flat=True))
    return Territory(label=region.name, departements=departements, region_code=code)


def _departements(codes: list[str]) -> Territory:
    found = dict(Departement.objects.filter(code__in=codes).values_list("code", "name"))
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            ngettext(
                "Département inconnu : %(codes)s.",
                "Départements inconnus : %(codes)s.",
                len(unknown),
            ),
            params={"codes": ", ".join(unknown)},
        )
    return Territory(label=", ".join(found[c] for c in codes), departements=tuple(codes))


def _communes(codes: list[str]) -> Territory:
    found = dict(Commune.objects.current().filter(code__in=codes).values_list("code", "name"))
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            ngettext(
                "Commune inconnue : %(codes)s.", "Communes inconnues : %(codes)s.", len(unknown)
            ),
            params={"codes": ", ".join(unknown)},
        )
    departements = tuple(sorted({c[:3] if c.startswith("97") else c[:2] for c in codes}))
    return Territory(
        label=", ".join(found[c] for c in codes), departements=departements, communes=tuple(codes)
    )


def current_sectors() -> list[SectorDefinition]:
    """The version in force of every sector definition, with its codes (two queries)."""
    return list(SectorDefinition.objects.filter(is_current=True).prefetch_related("codes"))


def observable_sectors() -> dict[str, str]:
    """The sectors a contract may observe, by slug: every current definition, and always the
    one Filière ships (its migration installs it; a database emptied since still names it)."""
    sectors = {s.slug: s.name for s in SectorDefinition.objects.filter(is_current=True)}
    sectors.setdefault(DIGITAL_SECTOR["slug"], DIGITAL_SECTOR["name"])
    return sectors


def current_sector(slug: str) -> SectorDefinition | None:
    return (
        SectorDefinition.objects.prefetch_related("codes")
        .filter(slug=slug, is_current=True)
        .first()
    )


def site_region_code() -> str:
    """The région the platform serves where a page is not about one contract (setting
    ``FILIERE_REGION``)."""
    return settings.FILIERE_REGION


def site_region() -> tuple[str, str]:
    """The code and name of the région the platform serves (its name once the reference
    data is loaded, its code until then)."""
    code = site_region_code()
    return code, Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def region_departements(region_code: str | None = None):
    """The départements of a région (the platform's own by default), in code order."""
    return Departement.objects.filter(region__code=region_code or site_region_code())


def region_communes(region_code: str | None = None):
    """The current communes of a région (the platform's own by default)."""
    return Commune.objects.current().filter(
        departement__region__code=region_code or site_region_code()
    )


def departement_choices(region_code: str | None = None) -> list[tuple[str, str]]:
    return [(d.code, str(d)) for d in region_departements(region_code)]


# A département's outlines take under 1 MB as text: the largest région's fit twice.
@lru_cache(maxsize=32)
def _departement_commune_outlines(departement: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(read_commune_outlines(settings.DATA_DIR, departement))


def commune_outlines(departements: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(2026 code, name, GeoJSON geometry as text) of the current communes of these
    départements, read from the shipped files once per process and département; a 2018
    polygon is drawn as the 2026 commune it became (``data/SOURCES.md``)."""
    return [
        feature
        for departement in departements
        for feature in _departement_commune_outlines(departement)
    ]
