"""The exports in the official open-data schemas (schema.data.gouv.fr), one module each, by
the name the command and the URLs give them."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings

from filiere.opendata.exports import dispositif_aide, lieux_mediation_numerique, scdl_subventions


@dataclass
class Rows:
    """What an export writes: its rows, and what it had to leave out and why (a row the
    schema would refuse for want of a required value is never written with an invented one)."""

    rows: list[dict] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SchemaExport:
    name: str
    # The schema file in data/schemas/, and its page on schema.data.gouv.fr.
    schema_file: str
    conforms_to: str
    build: Callable[[], Rows]
    counted: str  # what a row is, for the command's summary

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def fields(self) -> list[str]:
        return schema_fields(self.schema_file)


@cache
def schema_fields(schema_file: str) -> list[str]:
    """The schema's columns, in its order: the file is the one source of the layout."""
    descriptor = json.loads((settings.DATA_DIR / "schemas" / schema_file).read_text())
    return [column["name"] for column in descriptor["fields"]]


EXPORTS = {
    export.name: export
    for export in (
        SchemaExport(
            name="scdl-subventions",
            schema_file="scdl-subventions.schema.json",
            conforms_to="https://schema.data.gouv.fr/scdl/subventions/2.1.1/",
            build=lambda: Rows(*scdl_subventions.rows()),
            counted="subventions",
        ),
        SchemaExport(
            name="dispositif-aide",
            schema_file="dispositif-aide-professionnels.schema.json",
            conforms_to="https://schema.data.gouv.fr/etalab/schema-dispositif-aide/",
            build=lambda: Rows(dispositif_aide.rows()),
            counted="dispositifs",
        ),
        SchemaExport(
            name="lieux-mediation-numerique",
            schema_file="lieux-mediation-numerique.schema.json",
            conforms_to="https://schema.data.gouv.fr/LaMednum/standard-mediation-num/",
            build=lambda: Rows(*lieux_mediation_numerique.rows()),
            counted="lieux",
        ),
    )
}
