"""JSON Lines files of providers and needs, read with every problem located.

A provider line is ``{"id", "name", "description", "tags": [...], "departement"}``
and a need line ``{"id", "text", "tags": [...], "departement"}``; other fields are
ignored, the optional ones may be missing. A file with any bad line is refused
as a whole, with the file, line and field of each problem.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from engine.matching import Need, Provider

# How many problems are listed in full; the rest are only counted.
MAX_LISTED_PROBLEMS = 100


def _integer_as_text(value):
    """Identifiers may be written as JSON numbers (``"id": 7``)."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Identifier = Annotated[
    str, BeforeValidator(_integer_as_text), StringConstraints(strip_whitespace=True, min_length=1)
]
Departement = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d[\dAB]\d?)?$")]


class _Line(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: Identifier
    tags: list[Annotated[str, StringConstraints(min_length=1)]] = Field(default_factory=list)
    departement: Departement | None = None


class ProviderLine(_Line):
    name: str = ""
    description: str = ""
    references: list[str] = Field(default_factory=list)

    def to_provider(self) -> Provider:
        return Provider(
            id=self.id,
            name=self.name,
            description=self.description,
            tags=tuple(self.tags),
            departement=self.departement or None,
            references=tuple(self.references),
        )


class NeedLine(_Line):
    text: Annotated[str, StringConstraints(min_length=1)]

    def to_need(self) -> Need:
        return Need(
            id=self.id, text=self.text, tags=tuple(self.tags), departement=self.departement or None
        )


@dataclass(frozen=True)
class FileProblem:
    file: str
    line: int | None
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, ligne {self.line}"
        if self.field:
            where += f", champ « {self.field} »"
        return f"{where} : {self.message}"


class MatchingFileError(Exception):
    def __init__(self, problems: list[FileProblem], total: int):
        self.problems = problems
        self.total = total
        super().__init__("\n".join(str(p) for p in problems))


def _lines(path: Path) -> Iterator[tuple[int, str | None]]:
    """Numbered non-blank lines; ``None`` for a line that is not valid UTF-8."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, None
                continue
            if line.strip():
                yield number, line


def _read(path: Path, model: type[_Line]) -> list:
    rows, problems, total, seen = [], [], 0, {}

    def problem(line: int, message: str, field: str | None = None) -> None:
        nonlocal total
        total += 1
        if len(problems) < MAX_LISTED_PROBLEMS:
            problems.append(FileProblem(str(path), line, message, field))

    try:
        for number, line in _lines(path):
            if line is None:
                problem(number, "la ligne n'est pas en UTF-8")
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                problem(number, f"JSON invalide ({exc.msg}, colonne {exc.colno})")
                continue
            if not isinstance(data, dict):
                problem(number, "un objet JSON est attendu")
                continue
            try:
                row = model.model_validate(data)
            except ValidationError as exc:
                for error in exc.errors():
                    field = ".".join(str(part) for part in error["loc"]) or None
                    problem(number, error["msg"], field)
                continue
            if row.id in seen:
                problem(number, f"identifiant déjà vu ligne {seen[row.id]}", "id")
                continue
            seen[row.id] = number
            rows.append(row)
    except OSError as exc:
        raise MatchingFileError(
            [FileProblem(str(path), None, f"lecture impossible ({exc.strerror})")], 1
        ) from exc
    if problems:
        raise MatchingFileError(problems, total)
    return rows


def read_providers(path: Path | str) -> list[Provider]:
    return [row.to_provider() for row in _read(Path(path), ProviderLine)]


def read_needs(path: Path | str) -> list[Need]:
    return [row.to_need() for row in _read(Path(path), NeedLine)]
