"""The directory's full-text index (BM25, French), kept per process and rebuilt after changes.

Each establishment is one document: its name, commune and activity, and what is said of its
firm (legal unit): name, acronym, presentation, skills, and what other apps register with
``register_firm_texts`` (the offers and references of ``needs``, which the directory may not
import). A result says why it matched: the passages that hold the words searched.

Any write that changes what is searchable calls ``directory_changed()``, which renews a
version token in the database; a registered source has its own version (its offers' count
and latest change). Each process rebuilds its index the next time it searches and finds
another version.
"""

import re
import uuid
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from engine.search import TextIndex, stems
from filiere.common.cache import VersionedCache
from filiere.directory.models import DirectoryVersion, Establishment, LegalUnit, Tag
from filiere.territory.models import NafCode


def directory_changed() -> None:
    DirectoryVersion.objects.update_or_create(pk=1, defaults={"version": uuid.uuid4().hex})


def directory_version() -> str:
    return DirectoryVersion.objects.filter(pk=1).values_list("version", flat=True).first() or ""


# What another app says of the directory's firms.
Passages = Callable[[], Iterable[tuple[int, str, str]]]
Skills = Callable[[], Iterable[tuple[int, str, str]]]


@dataclass(frozen=True)
class FirmTexts:
    """A source of texts about firms: ``passages()`` gives (legal unit id, what the text is,
    the text), ``skills()`` (legal unit id, a filter value, its label: the value holds a colon,
    never a tag's slug), ``version()`` changes whenever either does."""

    name: str
    passages: Passages
    version: Callable[[], Hashable]
    skills: Skills = lambda: ()


_SOURCES: dict[str, FirmTexts] = {}


def register_firm_texts(
    name: str, *, passages: Passages, version: Callable[[], Hashable], skills: Skills = lambda: ()
) -> None:
    """Called in an app's ``AppConfig.ready``: its texts are searched with the firms'."""
    if name in _SOURCES:
        raise ValueError(f"Firm texts {name!r} are registered twice")
    _SOURCES[name] = FirmTexts(name, passages, version, skills)


def _version() -> tuple:
    return (directory_version(), *(source.version() for source in _SOURCES.values()))


@dataclass(frozen=True)
class Passage:
    what: str
    text: str


def _unit_passages() -> dict[int, list[Passage]]:
    passages: dict[int, list[Passage]] = {}

    def add(unit_id, what, text):
        if text and text.strip():
            passages.setdefault(unit_id, []).append(Passage(what, text.strip()))

    units = LegalUnit.objects.values_list("id", "name", "acronym", "description")
    for unit_id, name, acronym, description in units.iterator(2000):
        add(unit_id, _("Nom"), " ".join(p for p in (name, acronym) if p))
        add(unit_id, _("Présentation"), description)
    tags: dict[int, list[str]] = {}
    for unit_id, label in LegalUnit.tags.through.objects.values_list("legalunit_id", "tag__label"):
        tags.setdefault(unit_id, []).append(label)
    for unit_id, labels in tags.items():
        add(unit_id, _("Compétences"), ", ".join(sorted(labels)))
    for source in _SOURCES.values():
        for unit_id, what, text in source.passages():
            add(unit_id, what, text)
    return passages


@dataclass
class DirectoryIndex:
    """The BM25 index of the establishments, and what it was built from, to say why a result
    matched."""

    index: TextIndex
    passages: dict[int, list[Passage]] = field(default_factory=dict)
    naf_labels: dict[str, str] = field(default_factory=dict)

    def search(self, query: str, *, k: int, among=None) -> list[tuple]:
        return self.index.search(query, k=k, among=among)

    def reasons(self, query: str, establishment: Establishment, *, limit: int = 3) -> list:
        """The passages of an establishment and its firm that hold the most words searched,
        best first: what the result shows as why it matched."""
        wanted = set(stems(query))
        own = [
            Passage(_("Nom"), establishment.name),
            Passage(_("Commune"), establishment.city.title()),
            Passage(_("Activité"), self.naf_labels.get(establishment.naf, "")),
        ]
        found = []
        for order, passage in enumerate(own + self.passages.get(establishment.legal_unit_id, [])):
            reason = _reason(passage, wanted)
            if reason is not None:
                found.append((-reason.count, order, reason))
        found.sort(key=lambda item: item[:2])
        return [reason for _count, _order, reason in found[:limit]]


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


def _build() -> DirectoryIndex:
    # The texts are French whatever the language of the request that finds the index stale.
    with translation.override("fr"):
        return _build_french()


def _build_french() -> DirectoryIndex:
    naf_labels = dict(NafCode.objects.filter(level=5).values_list("code", "label"))
    passages = _unit_passages()
    ids, texts = [], []
    rows = Establishment.objects.values_list("id", "name", "city", "naf", "legal_unit_id")
    for pk, name, city, naf, unit_id in rows.iterator(2000):
        parts = [name, city, naf_labels.get(naf, "")]
        parts += [p.text for p in passages.get(unit_id, [])]
        ids.append(pk)
        texts.append(" ".join(p for p in parts if p))
    return DirectoryIndex(TextIndex(ids, texts), passages, naf_labels)


_index = VersionedCache(_version, _build)


def directory_index() -> DirectoryIndex:
    return _index.get()


@dataclass(frozen=True)
class Skill:
    value: str
    label: str
    units: frozenset[int]


def _build_skills() -> dict[str, Skill]:
    found: dict[str, tuple[str, set[int]]] = {}
    for slug, label, unit_id in Tag.objects.filter(legalunit__isnull=False).values_list(
        "slug", "label", "legalunit"
    ):
        found.setdefault(slug, (label, set()))[1].add(unit_id)
    for source in _SOURCES.values():
        for unit_id, value, label in source.skills():
            found.setdefault(value, (label, set()))[1].add(unit_id)
    return {value: Skill(value, label, frozenset(units)) for value, (label, units) in found.items()}


_skills = VersionedCache(_version, _build_skills)


def firm_skills() -> dict[str, Skill]:
    """The skills firms have (their profile's tags and what registered sources give them, such
    as their offer's domains), by filter value."""
    return _skills.get()
