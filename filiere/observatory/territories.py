"""Territories the observatory works on: a région, départements, or communes."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from filiere.territory.models import Commune, Departement, Region


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
            "Département(s) inconnu(s) : %(codes)s.", params={"codes": ", ".join(unknown)}
        )
    return Territory(label=", ".join(found[c] for c in codes), departements=tuple(codes))


def _communes(codes: list[str]) -> Territory:
    found = dict(Commune.objects.current().filter(code__in=codes).values_list("code", "name"))
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            "Commune(s) inconnue(s) : %(codes)s.", params={"codes": ", ".join(unknown)}
        )
    departements = tuple(sorted({c[:3] if c.startswith("97") else c[:2] for c in codes}))
    return Territory(
        label=", ".join(found[c] for c in codes), departements=departements, communes=tuple(codes)
    )
