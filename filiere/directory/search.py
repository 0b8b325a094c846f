"""The directory's full-text index (BM25, French): built by a worker, read by every process,
kept up to date between builds by reading again the firms changed since.

Each establishment is one document: its name, commune and activity, and what is said of its
firm (legal unit): name, acronym, presentation, skills, and what other apps register with
``register_firm_texts`` (the offers and references of ``needs``, which the directory may not
import). A result says why it matched: the passages that hold the words searched.

A change of many firms (an import) calls ``directory_changed()``: a worker builds the index
again (``tasks.rebuild_directory_index``) while searches use the previous build. A change of a
few firms' texts (a profile, an offer) calls ``firm_texts_changed()``: the next search scores
those firms' establishments anew with the build's statistics and leaves out their former rows
(the *delta*), with no build. Before the first build, a search asks a worker for one and
the caller answers from the names alone.
"""

import re
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.db.models import Count, Max
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from engine.search import Added, TextIndex, stems
from filiere.common.indexes import PersistedIndex
from filiere.directory.models import (
    DirectoryVersion,
    Establishment,
    FirmTextsChange,
    LegalUnit,
    Tag,
)
from filiere.territory.models import NafCode

# Past this many firms changed since the latest build, a change asks for a build: the delta is
# read again by each process and scored at each search.
DELTA_LIMIT = 1000
# A change recorded this long before a build started may not have been committed when the
# build read the data (a transaction still open): it stays in the delta of that build.
COMMIT_MARGIN = timedelta(minutes=5)


def _renew_version() -> None:
    DirectoryVersion.objects.update_or_create(pk=1, defaults={"version": uuid.uuid4().hex})


def directory_version() -> str:
    return DirectoryVersion.objects.filter(pk=1).values_list("version", flat=True).first() or ""


def directory_changed() -> None:
    """Many firms changed (an import): the version renewed, the index built again by a worker
    once the transaction commits; searches use the previous build meanwhile."""
    _renew_version()
    _index.rebuild_on_commit()


def firm_texts_changed(unit_ids: Iterable[int]) -> None:
    """What is searched of these firms changed (a profile, an offer): the next search reads
    their texts again, with no build (a build is asked for past ``DELTA_LIMIT`` firms)."""
    _renew_version()
    FirmTextsChange.objects.bulk_create(
        FirmTextsChange(legal_unit_id=unit_id) for unit_id in set(unit_ids)
    )
    built = _index.latest_started_at()
    if built is not None and len(_changed_units(built)) > DELTA_LIMIT:
        _index.rebuild_on_commit()


# What another app says of the directory's firms: ``passages(units)`` the texts of these
# firms (of every firm for ``None``).
Passages = Callable[[Collection[int] | None], Iterable[tuple[int, str, str]]]
Skills = Callable[[], Iterable[tuple[int, str, str]]]


@dataclass(frozen=True)
class FirmTexts:
    """A source of texts about firms: ``passages(units)`` gives (legal unit id, what the text
    is, the text) for some firms or all, ``skills()`` (legal unit id, a filter value, its
    label: the value holds a colon, never a tag's slug). The source calls
    ``firm_texts_changed()`` when it changes a firm's texts."""

    name: str
    passages: Passages
    skills: Skills = lambda: ()


_SOURCES: dict[str, FirmTexts] = {}


def register_firm_texts(name: str, *, passages: Passages, skills: Skills = lambda: ()) -> None:
    """Called in an app's ``AppConfig.ready``: its texts are searched with the firms'."""
    if name in _SOURCES:
        raise ValueError(f"Firm texts {name!r} are registered twice")
    _SOURCES[name] = FirmTexts(name, passages, skills)


@dataclass(frozen=True)
class Passage:
    what: str
    text: str


def _unit_passages(units: Collection[int] | None = None) -> dict[int, list[Passage]]:
    """The texts of some firms (of all for ``None``), by legal unit."""
    passages: dict[int, list[Passage]] = {}

    def add(unit_id, what, text):
        if text and text.strip():
            passages.setdefault(unit_id, []).append(Passage(what, text.strip()))

    rows = LegalUnit.objects.all() if units is None else LegalUnit.objects.filter(pk__in=units)
    for unit_id, name, acronym, description in rows.values_list(
        "id", "name", "acronym", "description"
    ).iterator(2000):
        add(unit_id, _("Nom"), " ".join(p for p in (name, acronym) if p))
        add(unit_id, _("Présentation"), description)
    tags: dict[int, list[str]] = {}
    links = LegalUnit.tags.through.objects.all()
    if units is not None:
        links = links.filter(legalunit_id__in=units)
    for unit_id, label in links.values_list("legalunit_id", "tag__label"):
        tags.setdefault(unit_id, []).append(label)
    for unit_id, labels in tags.items():
        add(unit_id, _("Compétences"), ", ".join(sorted(labels)))
    for source in _SOURCES.values():
        for unit_id, what, text in source.passages(units):
            add(unit_id, what, text)
    return passages


# What the directory's filters read of an establishment, by the field of the index that holds
# it: the register's own fields, which only an import changes (and an import builds again).
FILTERED = {
    "status": "status",
    "departement": "departement_code",
    "epci": "commune__epci__code",
    "naf": "naf",
    "headcount_band": "headcount_band",
}
_ROW = ("id", "name", "city", "naf", "legal_unit_id", *FILTERED.values())


@dataclass(frozen=True)
class Documents:
    """Establishments as the index holds them: ids, legal units, texts, filtered fields."""

    ids: np.ndarray
    units: np.ndarray
    texts: list[str]
    fields: dict[str, list[str]]


def _documents(rows, naf_labels: dict[str, str], passages) -> Documents:
    """The documents of establishment rows (the fields of ``_ROW``)."""
    ids, units, texts = [], [], []
    fields: dict[str, list[str]] = {name: [] for name in FILTERED}
    for pk, name, city, naf, unit_id, *filtered in rows:
        parts = [name, city, naf_labels.get(naf, "")]
        parts += [p.text for p in passages.get(unit_id, [])]
        ids.append(pk)
        units.append(unit_id or 0)
        texts.append(" ".join(p for p in parts if p))
        for values, value in zip(fields.values(), filtered, strict=True):
            values.append(value or "")
    return Documents(np.array(ids, dtype=np.int64), np.array(units, dtype=np.int64), texts, fields)


def _naf_labels() -> dict[str, str]:
    return dict(NafCode.objects.filter(level=5).values_list("code", "label"))


@dataclass(frozen=True)
class Field:
    """A filtered field of the documents: its distinct values, and each document's (codes)."""

    values: np.ndarray
    codes: np.ndarray

    @classmethod
    def of(cls, values: list[str]) -> "Field":
        distinct, codes = np.unique(np.array(values, dtype=str), return_inverse=True)
        return cls(distinct, codes.astype(np.int32))


@dataclass(frozen=True)
class DirectoryIndex:
    """The BM25 index of the establishments, with each one's legal unit and filtered fields
    (in the index's order)."""

    index: TextIndex
    units: np.ndarray
    fields: dict[str, Field]


def _build() -> DirectoryIndex:
    # The texts are French whatever the language of the process that builds.
    with translation.override("fr"):
        rows = Establishment.objects.order_by("id").values_list(*_ROW).iterator(2000)
        documents = _documents(rows, _naf_labels(), _unit_passages())
    return DirectoryIndex(
        TextIndex(documents.ids, documents.texts),
        documents.units,
        {name: Field.of(values) for name, values in documents.fields.items()},
    )


_UNITS = "units.npy"


def _save(built: DirectoryIndex, folder: Path) -> None:
    built.index.save(folder)
    np.save(folder / _UNITS, built.units, allow_pickle=False)
    for name, field in built.fields.items():
        np.save(folder / f"{name}.values.npy", field.values, allow_pickle=False)
        np.save(folder / f"{name}.codes.npy", field.codes, allow_pickle=False)


def _load(folder: Path) -> DirectoryIndex:
    def array(name: str) -> np.ndarray:
        return np.load(folder / name, mmap_mode="r", allow_pickle=False)

    return DirectoryIndex(
        TextIndex.load(folder),
        array(_UNITS),
        {name: Field(array(f"{name}.values.npy"), array(f"{name}.codes.npy")) for name in FILTERED},
    )


_index = PersistedIndex(
    "directory",
    task="filiere.directory.tasks.rebuild_directory_index",
    build=_build,
    save=_save,
    load=_load,
)


def rebuild_index(*, requested_at: str | None = None) -> None:
    """The worker's build (``tasks.rebuild_directory_index``); the changes the build has read
    are forgotten."""
    _index.rebuild(requested_at=requested_at)
    built = _index.latest_started_at()
    if built is not None:
        FirmTextsChange.objects.filter(changed_at__lt=built - COMMIT_MARGIN).delete()


def _changed_units(built: datetime) -> list[int]:
    changes = FirmTextsChange.objects.filter(changed_at__gte=built - COMMIT_MARGIN)
    return sorted(set(changes.values_list("legal_unit_id", flat=True)))


@dataclass(frozen=True)
class Delta:
    """The firms changed since the build (legal units, sorted), and their establishments as
    they now read (their texts analysed)."""

    units: np.ndarray
    documents: Documents
    added: Added


@lru_cache(maxsize=1)
def _delta(built: datetime, _last_change: int | None, _count: int) -> Delta:
    # Kept while no other change is recorded (the last change and the count say so).
    units = _changed_units(built)
    with translation.override("fr"):
        rows = Establishment.objects.filter(legal_unit_id__in=units).order_by("id")
        documents = _documents(rows.values_list(*_ROW), _naf_labels(), _unit_passages(units))
    return Delta(np.array(units, dtype=np.int64), documents, Added.of(documents.texts))


def _current_delta(built: datetime) -> Delta:
    changes = FirmTextsChange.objects.filter(changed_at__gte=built - COMMIT_MARGIN)
    state = changes.aggregate(last=Max("id"), count=Count("id"))
    return _delta(built, state["last"], state["count"])


@dataclass(frozen=True)
class Ranking:
    """The establishments that hold words searched, best first: their ids, scores, legal
    units, and the fields the filters read (``FILTERED``: per field, the values and each
    establishment's code among them)."""

    ids: np.ndarray
    scores: np.ndarray
    units: np.ndarray
    fields: dict[str, Field]

    def _take(self, selection: np.ndarray) -> "Ranking":
        """The establishments selected by a mask or positions (an order)."""
        fields = {name: Field(f.values, f.codes[selection]) for name, f in self.fields.items()}
        return Ranking(self.ids[selection], self.scores[selection], self.units[selection], fields)

    def where(self, name: str, keep: Callable[[str], bool]) -> "Ranking":
        """The establishments whose field ``name`` (of ``FILTERED``) ``keep`` accepts."""
        field = self.fields[name]
        accepted = np.array([keep(value) for value in field.values.tolist()], dtype=bool)
        return self._take(accepted[field.codes])

    def of_units(self, units: Collection[int]) -> "Ranking":
        return self._take(np.isin(self.units, np.fromiter(units, dtype=np.int64)))


def rank_establishments(query: str) -> Ranking | None:
    """Every establishment that holds a word of the query, best first (ties by id): from the
    latest build, its changed firms' rows replaced by their texts as they now read. ``None``
    while no build exists yet (one is asked for)."""
    built = _index.get()
    if built is None:
        return None
    main, delta = built.value, _current_delta(built.started_at)
    scores = main.index.scores(query)
    found = np.flatnonzero(scores > 0)
    if len(delta.units):
        found = found[~np.isin(main.units[found], delta.units)]
    added = delta.documents
    fields = {}
    for name, field in main.fields.items():
        # Each added establishment's value is a value of its own, after the build's.
        values = np.concatenate((field.values, np.array(added.fields[name], dtype=str)))
        codes = np.concatenate((field.codes[found], len(field.values) + np.arange(len(added.ids))))
        fields[name] = Field(values, codes)
    ranking = Ranking(
        np.concatenate((np.asarray(main.index.ids[found], dtype=np.int64), added.ids)),
        np.concatenate((scores[found], main.index.score_added(query, delta.added))),
        np.concatenate((main.units[found], added.units)),
        fields,
    )
    ranking = ranking._take(ranking.scores > 0)
    return ranking._take(np.lexsort((ranking.ids, -ranking.scores)))


def explain(query: str, establishments: list[Establishment], *, limit: int = 3) -> None:
    """Sets each establishment's ``reasons``: the passages of the establishment and its firm
    that hold the most words searched, best first (its firm's texts as they now read)."""
    wanted = set(stems(query))
    passages = _unit_passages({e.legal_unit_id for e in establishments})
    codes = {e.naf for e in establishments}
    naf_labels = dict(NafCode.objects.filter(level=5, code__in=codes).values_list("code", "label"))
    for establishment in establishments:
        own = [
            Passage(_("Nom"), establishment.name),
            Passage(_("Commune"), establishment.city.title()),
            Passage(_("Activité"), naf_labels.get(establishment.naf, "")),
        ]
        found = []
        for order, passage in enumerate(own + passages.get(establishment.legal_unit_id, [])):
            reason = _reason(passage, wanted)
            if reason is not None:
                found.append((-reason.count, order, reason))
        found.sort(key=lambda item: item[:2])
        establishment.reasons = [reason for _count, _order, reason in found[:limit]]


@dataclass(frozen=True)
class Reason:
    """A passage that matched: what it is and an excerpt, in pieces, the words found marked."""

    what: str
    pieces: tuple[tuple[str, bool], ...]
    count: int


_WORD = re.compile(r"\w\w+")
EXCERPT = 160


def _reason(passage: Passage, wanted: set[str]) -> Reason | None:
    text = passage.text
    if not text or not wanted:
        return None
    spans, found = [], set()
    for word in _WORD.finditer(text):
        hit = wanted.intersection(stems(word.group()))
        if hit:
            spans.append(word.span())
            found |= hit
    if not spans:
        return None
    start, end = 0, len(text)
    if len(text) > EXCERPT:
        # A window around the first word found, cut between words.
        start = max(0, spans[0][0] - EXCERPT // 3)
        if start:
            start = text.find(" ", start) + 1 or start
        end = min(len(text), start + EXCERPT)
        cut = text.rfind(" ", start, end)
        if end < len(text) and cut > spans[0][1]:
            end = cut
    pieces, at = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        if span_start > at:
            pieces.append((text[at:span_start], False))
        pieces.append((text[span_start:span_end], True))
        at = span_end
    if at < end:
        pieces.append((text[at:end], False))
    if start > 0:
        pieces.insert(0, ("… ", False))
    if end < len(text):
        pieces.append((" …", False))
    return Reason(passage.what, tuple(pieces), len(found))


@dataclass(frozen=True)
class Skill:
    value: str
    label: str
    units: frozenset[int]


def firm_skills() -> dict[str, Skill]:
    """The skills firms have (their profile's tags and what registered sources give them, such
    as their offer's domains), by filter value: read at each call, as they are held by the
    firms that describe themselves, never by the whole register."""
    found: dict[str, tuple[str, set[int]]] = {}
    for slug, label, unit_id in Tag.objects.filter(legalunit__isnull=False).values_list(
        "slug", "label", "legalunit"
    ):
        found.setdefault(slug, (label, set()))[1].add(unit_id)
    for source in _SOURCES.values():
        for unit_id, value, label in source.skills():
            found.setdefault(value, (label, set()))[1].add(unit_id)
    return {value: Skill(value, label, frozenset(units)) for value, (label, units) in found.items()}
