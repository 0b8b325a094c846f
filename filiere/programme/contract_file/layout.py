"""The parts of a contract file and their columns (docs/contract-file.md), the rows read from
it and its problems, located."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from filiere.accounts.enums import OrganisationKind
from filiere.common.command import LocatedError
from filiere.directory.enums import LabelKind
from filiere.programme.enums import ActionItemKind, ActorRole, Direction
from filiere.programme.models import ACTION_CODE
from filiere.territory.sectors import DEFAULT_SECTOR

YAML, XLSX = "yaml", "xlsx"
FORMATS = {".yaml": YAML, ".yml": YAML, ".xlsx": XLSX}

TEXT, SLUG, CODE, INT, DECIMAL, DATE, BOOL, CHOICE = (
    "texte",
    "identifiant",
    "code",
    "entier",
    "nombre",
    "date",
    "oui/non",
    "liste",
)
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
CODE_RE = re.compile(r"[0-9A-Za-z]+")
TRUE = {"oui", "vrai", "true", "1", "x"}
FALSE = {"non", "faux", "false", "0"}


@dataclass(frozen=True)
class Column:
    """One column of a sheet (one key of a YAML mapping)."""

    name: str
    kind: str = TEXT
    required: bool = False
    max_length: int | None = None
    choices: type[models.TextChoices] | None = None
    # A decimal's (max_digits, decimal_places), as its database column.
    digits: tuple[int, int] | None = None
    positive: bool = False
    # A numeric code's width: a spreadsheet that made it a number lost its leading zeros.
    width: int | None = None
    default: Any = None
    # The model field's own validator, where the column's kind does not say it all.
    validator: Callable[[str], None] | None = None


@dataclass(frozen=True)
class Part:
    """One part of the file: a sheet of the workbook, a key of the YAML document (or a list
    nested in the rows of ``nested_in`` under ``yaml_key``, whose ``parent_column`` is then
    the parent's ``parent_ref``)."""

    name: str
    columns: tuple[Column, ...]
    single: bool = False
    required: bool = False
    key: tuple[str, ...] = ()
    nested_in: str | None = None
    yaml_key: str | None = None
    parent_column: str | None = None
    parent_ref: str | None = None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


PARTS = (
    Part(
        "contrat",
        single=True,
        required=True,
        columns=(
            Column("identifiant", SLUG, required=True, max_length=80),
            Column("intitulé", required=True, max_length=255),
            Column("filière", required=True, max_length=100),
            Column("filière_observée", SLUG, default=DEFAULT_SECTOR, max_length=60),
            Column("région", CODE, required=True, width=2, max_length=3),
            Column("pilote", SLUG, required=True, max_length=80),
            Column("ambition"),
            Column("date_signature", DATE),
            Column("lieu_signature", max_length=255),
            Column("commune_signature", CODE, width=5, max_length=5),
            Column("début", DATE, required=True),
            Column("fin", DATE, required=True),
            Column("budget", DECIMAL, required=True, digits=(14, 2), positive=True),
            Column("source"),
            Column("publié", BOOL, default=False),
        ),
    ),
    Part(
        "organisations",
        key=("identifiant",),
        columns=(
            Column("identifiant", SLUG, required=True, max_length=80),
            Column("nom", required=True, max_length=200),
            Column("sigle", max_length=40),
            Column("type", CHOICE, required=True, choices=OrganisationKind),
            Column("siren", CODE, width=9, max_length=9),
            Column("siret", CODE, width=14, max_length=14),
            Column("commune", CODE, width=5, max_length=5),
            Column("description"),
        ),
    ),
    Part(
        "acteurs",
        key=("organisation", "rôle"),
        columns=(
            Column("organisation", SLUG, required=True, max_length=80),
            Column("rôle", CHOICE, required=True, choices=ActorRole),
            Column("précision", max_length=255),
        ),
    ),
    Part(
        "strategie",
        single=True,
        columns=(
            Column("intitulé", required=True, max_length=255),
            Column("budget_annuel", DECIMAL, digits=(14, 2), positive=True),
            Column("description"),
        ),
    ),
    Part(
        "piliers",
        key=("numéro",),
        nested_in="strategie",
        yaml_key="piliers",
        columns=(
            Column("numéro", INT, required=True),
            Column("intitulé", required=True, max_length=255),
        ),
    ),
    Part(
        "engagements_strategie",
        key=("pilier", "ordre"),
        nested_in="piliers",
        yaml_key="engagements",
        parent_column="pilier",
        parent_ref="numéro",
        columns=(
            Column("pilier", INT, required=True),
            Column("ordre", INT, required=True),
            Column("engagement", required=True, max_length=255),
            Column("montant", DECIMAL, digits=(14, 2), positive=True),
            Column("échéance", DATE),
        ),
    ),
    Part(
        "axes",
        key=("numéro",),
        columns=(
            Column("numéro", INT, required=True),
            Column("intitulé", required=True, max_length=255),
            Column("résumé"),
        ),
    ),
    Part(
        "actions",
        key=("code",),
        nested_in="axes",
        yaml_key="actions",
        parent_column="axe",
        parent_ref="numéro",
        columns=(
            Column("axe", INT, required=True),
            Column("code", required=True, max_length=10, validator=ACTION_CODE),
            Column("intitulé", required=True, max_length=255),
            Column("description"),
            Column("coordinateur", SLUG, max_length=80),
            Column("publiée", BOOL, default=True),
        ),
    ),
    Part(
        "partenaires",
        key=("action", "organisation"),
        nested_in="actions",
        yaml_key="partenaires",
        parent_column="action",
        parent_ref="code",
        columns=(
            Column("action", required=True, max_length=10),
            Column("organisation", SLUG, required=True, max_length=80),
            Column("rôle", max_length=255),
        ),
    ),
    Part(
        "elements",
        key=("action", "type", "nom"),
        nested_in="actions",
        yaml_key="elements",
        parent_column="action",
        parent_ref="code",
        columns=(
            Column("action", required=True, max_length=10),
            Column("type", CHOICE, required=True, choices=ActionItemKind),
            Column("nom", required=True, max_length=200),
            Column("lieu", max_length=200),
            Column("commune", CODE, width=5, max_length=5),
        ),
    ),
    Part(
        "indicateurs",
        key=("code",),
        columns=(
            Column("code", SLUG, required=True, max_length=80),
            Column("intitulé", required=True, max_length=255),
            Column("unité", required=True, max_length=60),
            Column("action", max_length=10),
            Column("pilier", INT),
            Column("sens", CHOICE, choices=Direction, default=Direction.INCREASE.value),
            Column("valeur_référence", DECIMAL, digits=(18, 4)),
            Column("date_référence", DATE),
            Column("cible", DECIMAL, digits=(18, 4)),
            Column("facteur_cible", DECIMAL, digits=(6, 2), positive=True),
            Column("échéance", DATE),
            Column("source_calculée", max_length=80),
            Column("description"),
            Column("publié", BOOL, default=True),
        ),
    ),
    Part(
        "enveloppes",
        key=("action", "année"),
        columns=(
            Column("action", required=True, max_length=10),
            Column("année", INT, required=True),
            Column("montant", DECIMAL, required=True, digits=(14, 2), positive=True),
        ),
    ),
    Part(
        "labels",
        key=("identifiant",),
        columns=(
            Column("identifiant", SLUG, required=True, max_length=80),
            Column("nom", required=True, max_length=120),
            Column("type", CHOICE, required=True, choices=LabelKind),
            Column("accordé_par", SLUG, required=True, max_length=80),
        ),
    ),
)
PART_BY_NAME = {part.name: part for part in PARTS}


@dataclass(frozen=True)
class FileProblem(LocatedError):
    """A problem of a contract file: XLSX by sheet, row and column header; YAML by key path
    and line."""

    sheet: str | None = None
    path: str | None = None

    def __str__(self) -> str:
        where = [self.source]
        if self.sheet:
            where.append(f"feuille « {self.sheet} »")
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.sheet and self.field:
            where.append(f"colonne « {self.field} »")
        if self.path:
            where.append(self.path)
        text = f"{', '.join(where)} : {self.message}"
        if self.value is not None:
            text += f" (valeur : {self.value!r})"
        return text


@dataclass
class Row:
    """One row as read, before and after checking: ``cells`` as the file gives them,
    ``values`` checked and converted, and where each is (for the problems)."""

    part: Part
    at: dict
    cells: dict[str, Any]
    cell_at: dict[str, dict] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Where the row is, to name it in another row's problem."""
        if "path" in self.at:
            return self.at["path"]
        return f"ligne {self.at['line']}"

    def where(self, column: str | None = None) -> dict:
        if column is None:
            return self.at
        if column in self.cell_at:
            return self.cell_at[column]
        if "path" in self.at:  # a key the YAML mapping leaves out
            return {"path": f"{self.at['path']}.{column}", "line": self.at["line"]}
        return self.at


@dataclass
class ContractFile:
    """A contract's parts as plain rows (column name → value), as read or exported; a file
    read also says where its contract's cells were, for a problem found on writing."""

    rows: dict[str, list[dict[str, Any]]]
    source: str = ""
    contract_cells: dict[str, dict] = field(default_factory=dict)

    def problem_at_contract(self, column: str | None, message: str) -> FileProblem:
        return FileProblem(self.source, message, **self.contract_cells.get(column or "", {}))

    def single(self, part: str) -> dict[str, Any] | None:
        rows = self.rows.get(part, [])
        return rows[0] if rows else None


class Problems:
    """Every problem found in a file, each with where it is, and the parts not read whole
    (a missing sheet or column, a list that is not one): rows are not checked against
    them, where everything would look unknown."""

    def __init__(self, source: str):
        self.source = source
        self.errors: list[FileProblem] = []
        self.incomplete: set[str] = set()

    def add(self, message: str, *, at: dict, value: Any = None) -> None:
        shown = None if value is None else str(value)
        self.errors.append(FileProblem(self.source, message, value=shown, **at))

    def at_row(self, row: Row, column: str | None, message: str, value: Any = None) -> None:
        self.add(message, at=row.where(column), value=value)
