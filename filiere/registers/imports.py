"""Import of training paths from a CSV file: the layout of the register's own export, every
line checked, problems reported by line and column, nothing written unless all are good."""

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from engine.identifiers import is_valid_siren
from filiere.common.command import InputErrors, LocatedError, Summary
from filiere.directory.models import LegalUnit
from filiere.registers.enums import TrainingFormat
from filiere.registers.models import TrainingPath

REQUIRED = ["intitule", "organisme", "modalite", "heures", "cree_le"]
OPTIONAL = ["siren", "lien"]
# A modality is given by its code or its French label, as the export writes it.
MODALITIES = {
    **{value: value for value in TrainingFormat.values},
    **{str(label).lower(): value for value, label in TrainingFormat.choices},
}


def read_training_paths(text: str, source: str) -> list[dict]:
    """The rows of a CSV text (``;`` or ``,``), checked; raises InputErrors with every problem."""
    text = text.removeprefix("\ufeff")
    delimiter = ";" if ";" in text.split("\n", 1)[0] else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InputErrors(
            [
                LocatedError(source, f"colonne obligatoire absente : {name}", line=1)
                for name in missing
            ]
        )
    errors: list[LocatedError] = []
    rows = []
    try:
        for raw in reader:
            _check_row(reader.line_num, raw, source, errors, rows)
    except csv.Error as exc:
        errors.append(LocatedError(source, f"CSV illisible : {exc}", line=reader.line_num))
    if errors:
        raise InputErrors(errors)
    return rows


def _check_row(line: int, raw: dict, source: str, errors: list, rows: list) -> None:
    """Check one line; append its problems to ``errors`` or its values to ``rows``."""
    row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
    if not any(row.values()):
        return

    def problem(field: str, message: str) -> None:
        errors.append(LocatedError(source, message, line=line, field=field, value=row[field]))

    if raw.get(None):
        errors.append(
            LocatedError(source, "plus de valeurs que de colonnes dans l'en-tête", line=line)
        )
    for name in REQUIRED:
        if not row[name]:
            problem(name, "valeur obligatoire")
    if len(row["intitule"]) > 200:
        problem("intitule", "200 caractères au plus")
    if len(row["organisme"]) > 255:
        problem("organisme", "255 caractères au plus")
    modality = MODALITIES.get(row["modalite"].lower())
    if row["modalite"] and modality is None:
        problem("modalite", "modalité inconnue (présentiel, à distance ou multimodal)")
    hours = None
    if row["heures"]:
        digits = row["heures"].isascii() and row["heures"].isdigit()
        hours = int(row["heures"]) if digits else None
        if not hours or hours > 32767:
            problem("heures", "un nombre entier d'heures, de 1 à 32767")
    created = None
    if row["cree_le"]:
        try:
            created = date.fromisoformat(row["cree_le"])
        except ValueError:
            problem("cree_le", "une date AAAA-MM-JJ")
    siren = row.get("siren", "")
    if siren and not is_valid_siren(siren):
        problem("siren", "SIREN invalide (9 chiffres, clé de Luhn)")
    url = row.get("lien", "")
    if url:
        try:
            URLValidator()(url)
        except ValidationError:
            problem("lien", "adresse web invalide")
    rows.append(
        {
            "title": row["intitule"],
            "provider_name": row["organisme"],
            "siren": siren,
            "format": modality,
            "hours": hours,
            "created_on": created,
            "url": url,
        }
    )


@transaction.atomic
def import_training_paths(*, text: str, source: str, region, summary: Summary) -> None:
    """Add the file's paths to the région's register; a path already there (same title,
    provider and creation date) is counted, not duplicated."""
    rows = read_training_paths(text, source)
    sirens = {row["siren"] for row in rows if row["siren"]}
    units = dict(LegalUnit.objects.filter(siren__in=sirens).values_list("siren", "pk"))
    existing = set(
        TrainingPath.objects.filter(region=region).values_list(
            "title", "provider_name", "created_on"
        )
    )
    new = []
    for row in rows:
        key = (row["title"], row["provider_name"], row["created_on"])
        if key in existing:
            summary.add("parcours déjà présents")
            continue
        existing.add(key)
        if row["siren"] and row["siren"] not in units:
            summary.add("SIREN hors annuaire (organisme gardé par son nom)")
        new.append(
            TrainingPath(
                title=row["title"],
                provider_name=row["provider_name"],
                provider_id=units.get(row["siren"]),
                format=row["format"],
                hours=row["hours"],
                created_on=row["created_on"],
                url=row["url"],
                region=region,
            )
        )
    TrainingPath.objects.bulk_create(new, batch_size=500)
    summary.add("parcours ajoutés", len(new))
