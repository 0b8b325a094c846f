"""Import of training paths from a CSV file: the layout of the register's own export, every
line checked, problems reported by line and column, nothing written unless all are good.

A path is known by its title, provider and creation date: a line that gives a path twice
with other values is an error; a path already in the register is updated when the file
says otherwise, and counted when it says the same."""

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from engine.identifiers import is_valid_siren
from filiere.common.command import InputErrors, LocatedError, Summary
from filiere.directory.models import LegalUnit
from filiere.programme.figures import figures_changed
from filiere.registers.enums import TrainingFormat
from filiere.registers.models import TrainingPath

REQUIRED = ["intitule", "organisme", "modalite", "heures", "cree_le"]
OPTIONAL = ["siren", "lien"]
# A modality is given by its code, its French label as the export writes it, or its usual
# short name (what the error message suggests is accepted).
SHORT_NAMES = {
    TrainingFormat.ON_SITE: "présentiel",
    TrainingFormat.DISTANCE: "à distance",
    TrainingFormat.BLENDED: "multimodal",
}
MODALITIES = {
    **{value: value for value in TrainingFormat.values},
    **{str(label).lower(): value for value, label in TrainingFormat.choices},
    **{name: value for value, name in SHORT_NAMES.items()},
}
FIELDS = ("title", "provider_name", "siren", "format", "hours", "created_on", "url")
# What an import may change on a path it already holds (the rest is the path's identity).
UPDATED = ["provider_id", "format", "hours", "url"]


def _baseline(pks: list[int]) -> None:
    """The paths an import updates, as they are stored, as their first entry when they have
    none yet: the update's entry then shows the values it replaced."""
    recorded = TrainingPath.history.filter(id__in=pks).values_list("id", flat=True)
    stored = list(TrainingPath.objects.filter(pk__in=pks).exclude(pk__in=recorded))
    TrainingPath.history.bulk_history_create(stored, default_change_reason="")


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
    errors += _twice(rows, source)
    if errors:
        raise InputErrors(errors)
    return [row for row in rows if not row.get("again")]


def _key(row: dict) -> tuple:
    return (row["title"], row["provider_name"], row["created_on"])


def _twice(rows: list[dict], source: str) -> list[LocatedError]:
    """A path given twice: the same values again are read once, other values are an error."""
    first: dict[tuple, dict] = {}
    errors = []
    for row in rows:
        earlier = first.setdefault(_key(row), row)
        if earlier is row:
            continue
        if all(earlier[name] == row[name] for name in FIELDS):
            row["again"] = True
            continue
        errors.append(
            LocatedError(
                source,
                f"le même parcours (intitulé, organisme, date) que la ligne {earlier['line']}, "
                "avec d'autres valeurs",
                line=row["line"],
            )
        )
    return errors


def _check_row(line: int, raw: dict, source: str, errors: list, rows: list) -> None:
    """Check one line; append its problems to ``errors`` or its values to ``rows``."""
    row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
    if not any(row.values()):
        return

    def problem(field: str, message: str) -> None:
        errors.append(LocatedError(source, message, line=line, field=field, value=row[field]))

    for name, value in row.items():
        if "\x00" in value:
            problem(name, "caractère nul : le fichier n'est pas un CSV texte")
            return

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
        problem(
            "modalite",
            "modalité inconnue : "
            + ", ".join(f"{name} ({code})" for code, name in SHORT_NAMES.items()),
        )
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
            "line": line,
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
def import_training_paths(*, text: str, source: str, region, summary: Summary, user=None) -> None:
    """Add the file's paths to the région's register; a path already there (same title,
    provider and creation date) is updated when the file says otherwise, counted when it
    says the same. The paths' history (``common.history``) names the file, and ``user``
    when a person imports it from the page."""
    rows = read_training_paths(text, source)
    sirens = {row["siren"] for row in rows if row["siren"]}
    units = dict(LegalUnit.objects.filter(siren__in=sirens).values_list("siren", "pk"))
    existing = {
        (path.title, path.provider_name, path.created_on): path
        for path in TrainingPath.objects.filter(region=region)
    }
    new, changed = [], []
    for row in rows:
        if row["siren"] and row["siren"] not in units:
            summary.add("SIREN hors annuaire (organisme gardé par son nom)")
        values = {
            "provider_id": units.get(row["siren"]),
            "format": row["format"],
            "hours": row["hours"],
            "url": row["url"],
        }
        path = existing.get(_key(row))
        if path is None:
            new.append(
                TrainingPath(
                    title=row["title"],
                    provider_name=row["provider_name"],
                    created_on=row["created_on"],
                    region=region,
                    **values,
                )
            )
        elif any(getattr(path, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(path, name, value)
            changed.append(path)
        else:
            summary.add("parcours déjà présents")
    reason = f"Import du fichier {source}"
    bulk_create_with_history(
        new, TrainingPath, batch_size=500, default_user=user, default_change_reason=reason
    )
    _baseline([path.pk for path in changed])
    bulk_update_with_history(
        changed,
        TrainingPath,
        UPDATED,
        batch_size=500,
        default_user=user,
        default_change_reason=reason,
    )
    figures_changed()
    summary.add("parcours ajoutés", len(new))
    if changed:
        summary.add("parcours mis à jour", len(changed))
