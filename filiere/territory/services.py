"""Writes of the reference data: the idempotent load of the territory and NAF, the sector
definitions."""

from collections.abc import Callable

from django.db import transaction

from filiere.common.command import Summary
from filiere.territory.enums import CommuneKind
from filiere.territory.models import (
    Boundary,
    Commune,
    CommuneCodeChange,
    Departement,
    Epci,
    NafCode,
    Region,
    SectorDefinition,
    SectorNafCode,
)
from filiere.territory.reference import ReferenceData

BATCH = 2000


def _upsert(
    model, rows: list[dict], update_fields: list[str], unique: tuple[str, ...] = ("code",)
) -> None:
    model.objects.bulk_create(
        [model(**row) for row in rows],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=list(unique),
        update_fields=update_fields,
    )


def _ids(model) -> dict[str, int]:
    return dict(model.objects.values_list("code", "id"))


@transaction.atomic
def reference_data_load(
    *, data: ReferenceData, summary: Summary, on_step: Callable[[str], None] = lambda step: None
) -> None:
    """Insert or update every reference row; running it twice changes nothing the second time.

    A few bulk statements per table, no query per row: all of France loads in seconds.
    """
    on_step("régions et départements")
    _upsert(Region, data.regions, ["name"])
    region_ids = _ids(Region)
    _upsert(
        Departement,
        [
            {"code": d["code"], "name": d["name"], "region_id": region_ids[d["region"]]}
            for d in data.departements
        ],
        ["name", "region"],
    )
    on_step("contours")
    _upsert(
        Boundary,
        [
            {"level": level, "code": code, "feature": feature}
            for level, boundaries in (
                ("region", data.region_boundaries),
                ("departement", data.departement_boundaries),
            )
            for code, feature in boundaries.items()
        ],
        ["feature"],
        unique=("level", "code"),
    )
    on_step("EPCI")
    _upsert(Epci, data.epcis, ["name", "kind", "population"])
    departement_ids = _ids(Departement)
    epci_ids = _ids(Epci)
    on_step("communes")
    commune_fields = ["name", "siren", "postcodes", "population", "latitude", "longitude"]

    def communes(rows: list[dict], parent_ids: dict[str, int]) -> None:
        _upsert(
            Commune,
            unique=("code", "kind"),
            update_fields=[*commune_fields, "departement", "epci", "parent"],
            rows=[
                {
                    **{name: c[name] for name in ["code", "kind", *commune_fields]},
                    "departement_id": departement_ids[c["departement"]],
                    "epci_id": epci_ids.get(c["epci"]),
                    "parent_id": parent_ids.get(c["parent"]),
                }
                for c in rows
            ],
        )

    # The current communes first: a delegated or associated one belongs to the current
    # commune of its chef-lieu code, whose id is then known.
    current = CommuneKind.CURRENT.value
    communes([c for c in data.communes if c["kind"] == current], {})
    current_ids = dict(Commune.objects.current().values_list("code", "id"))
    communes([c for c in data.communes if c["kind"] != current], current_ids)
    on_step("anciens codes commune")
    _upsert(CommuneCodeChange, data.code_changes, ["name"], unique=("old_code", "current_code"))
    on_step("nomenclature NAF")
    _upsert(NafCode, [{**n, "parent": None} for n in data.naf], ["level", "label"])
    naf_ids = _ids(NafCode)
    NafCode.objects.bulk_update(
        [NafCode(id=naf_ids[n["code"]], parent_id=naf_ids.get(n["parent"])) for n in data.naf],
        ["parent"],
        batch_size=BATCH,
    )
    summary.add("régions", len(data.regions))
    summary.add("départements", len(data.departements))
    summary.add("EPCI", len(data.epcis))
    summary.add("communes", len(data.communes))
    summary.add("anciens codes commune", len(data.code_changes))
    summary.add("codes NAF", len(data.naf))


def sector_definition_install(*, spec: dict) -> SectorDefinition:
    """Create a shipped definition if its slug is missing (idempotent)."""
    current = SectorDefinition.objects.filter(slug=spec["slug"], is_current=True).first()
    if current is not None:
        return current
    return sector_definition_create(
        slug=spec["slug"],
        name=spec["name"],
        source=spec["source"],
        description="Définition livrée avec Filière.",
        codes=spec["codes"],
    )


@transaction.atomic
def sector_definition_create(
    *, slug: str, name: str, description: str, source: str, codes: list[tuple[str, str]]
) -> SectorDefinition:
    """A new definition, or a new version of an existing one (which stops being current)."""
    previous = SectorDefinition.objects.select_for_update().filter(slug=slug)
    version = max((d.version for d in previous), default=0) + 1
    previous.update(is_current=False)
    definition = SectorDefinition.objects.create(
        slug=slug,
        version=version,
        name=name,
        description=description,
        source=source,
        is_current=True,
    )
    SectorNafCode.objects.bulk_create(
        SectorNafCode(definition=definition, naf_code=code, comment=comment)
        for code, comment in codes
    )
    return definition
