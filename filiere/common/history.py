"""Corrections and their history, one way for every app (django-simple-history).

A record people may correct declares ``history = records()``. Its pages save a correction
or a cancellation through :func:`correct` (or :func:`delete`), which keeps the earlier values
with who made the change, when, and the reason given; :func:`entries` reads them back for
the record's page (``_history.html``) and :func:`history_csv` for its export.

Rows written before their model had a history (the demo's loaders, bulk imports) get their
first entry, as they were, just before their first correction, so that the correction
shows the old values it replaced.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from filiere.common.exports import csv_response
from filiere.common.formats import format_value

KINDS = {"+": _("Saisie"), "~": _("Correction"), "-": _("Suppression")}


def records(**kwargs) -> HistoricalRecords:
    """The history of a model, as every app keeps it: the reason in a text column."""
    kwargs.setdefault(
        "history_change_reason_field", models.TextField(_("motif"), null=True, blank=True)
    )
    return HistoricalRecords(**kwargs)


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    at: datetime
    by: str
    kind: str
    reason: str
    changes: tuple[Change, ...]

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


def _baseline(obj) -> None:
    """The row as it is stored, as its first entry, when it has none yet."""
    if obj.pk is None or obj.history.exists():
        return
    stored = type(obj)._default_manager.get(pk=obj.pk)
    obj.history.bulk_history_create(
        [stored],
        default_date=getattr(stored, "recorded_at", None) or timezone.now(),
        default_change_reason="",
    )


@transaction.atomic
def correct(obj, *, reason: str, user=None, fields: Iterable[str] | None = None) -> None:
    """Save ``obj``'s new values; its history keeps the earlier ones, ``user`` and ``reason``.
    ``fields`` limits the update to those columns."""
    _baseline(obj)
    obj._change_reason = reason
    if user is not None:
        obj._history_user = user
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=list(fields))


@transaction.atomic
def delete(obj, *, reason: str, user=None) -> None:
    """Delete ``obj``; its history keeps its last values, ``user`` and ``reason``."""
    _baseline(obj)
    obj._change_reason = reason
    if user is not None:
        obj._history_user = user
    obj.delete()


def _person(user) -> str:
    if user is None:
        return str(_("la plateforme"))
    return user.get_full_name() or user.email


def _tracked(model) -> list:
    """The fields whose changes an entry lists: those the history keeps (a model's
    ``records(excluded_fields=...)`` keeps fewer), its id aside."""
    kept = {field.name for field in model.history.model._meta.concrete_fields}
    return [
        field
        for field in model._meta.concrete_fields
        if field.name != "id" and not field.auto_created and field.name in kept
    ]


def _shown(field, value, named: dict) -> str:
    if field.is_relation and value is not None:
        return str(named.get((field.related_model, value), value))
    if field.choices and value is not None:
        value = dict(field.flatchoices).get(value, value)
    return format_value(value)


def _named(tracked, records) -> dict:
    """The objects the records' foreign keys point to, as (model, id) → object: one query per
    related model, so that a change of beneficiary reads as two names, not two ids."""
    wanted = defaultdict(set)
    links = [field for field in tracked if field.is_relation]
    for record in records:
        for field in links:
            value = getattr(record, field.attname)
            if value is not None:
                wanted[field.related_model].add(value)
    return {
        (related, pk): obj
        for related, pks in wanted.items()
        for pk, obj in related._default_manager.in_bulk(pks).items()
    }


def _entries(tracked, records_of_one, named: dict) -> list[Entry]:
    """One record's entries, newest first, from its historical rows oldest first. A field's
    stored value is read by its ``attname`` (a foreign key's id, not its object)."""
    entries = []
    previous = None
    for record in records_of_one:
        changes = ()
        if previous is not None:
            changes = tuple(
                Change(
                    field=str(field.verbose_name),
                    old=_shown(field, getattr(previous, field.attname), named),
                    new=_shown(field, getattr(record, field.attname), named),
                )
                for field in tracked
                if getattr(record, field.attname) != getattr(previous, field.attname)
            )
        entries.append(
            Entry(
                at=record.history_date,
                by=_person(record.history_user),
                kind=record.history_type,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    entries.reverse()
    return entries


def entries_by_pk(model, pks: Iterable) -> dict[object, list[Entry]]:
    """The entries of every record of ``model`` in ``pks``: one query, and one per kind of
    record their links name."""
    rows = list(
        model.history.filter(id__in=list(pks))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    grouped = defaultdict(list)
    for record in rows:
        grouped[record.id].append(record)
    tracked = _tracked(model)
    named = _named(tracked, rows)
    return {pk: _entries(tracked, of_one, named) for pk, of_one in grouped.items()}


def entries(obj) -> list[Entry]:
    """``obj``'s history for its page, newest first."""
    return entries_by_pk(type(obj), [obj.pk]).get(obj.pk, [])


HISTORY_HEADER = [
    "fiche",
    "date",
    "auteur",
    "nature",
    "champ",
    "ancienne_valeur",
    "nouvelle_valeur",
    "motif",
]


def history_csv(filename: str, objects: Iterable, label=str):
    """The history of ``objects`` (of one model) as a CSV: one line per changed field, and
    one per entry that changed none (the first entry, a deletion)."""
    objects = list(objects)
    if not objects:
        return csv_response(filename, HISTORY_HEADER, [])
    by_pk = entries_by_pk(type(objects[0]), [obj.pk for obj in objects])

    def rows():
        for obj in objects:
            for entry in reversed(by_pk.get(obj.pk, [])):
                when = timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M")
                head = [label(obj), when, entry.by, entry.kind_label]
                for change in entry.changes or (Change("", "", ""),):
                    yield [*head, change.field, change.old, change.new, entry.reason]

    return csv_response(filename, HISTORY_HEADER, rows())
