"""The directory's full-text index (BM25, French), kept per process and rebuilt after changes.

Any write that changes what is searchable calls ``directory_changed()``, which
renews a version token in the database; each process rebuilds its index the
next time it searches and finds another token.
"""

import uuid

from engine.search import TextIndex
from filiere.common.cache import VersionedCache
from filiere.directory.models import DirectoryVersion, Establishment, LegalUnit
from filiere.territory.models import NafCode


def directory_changed() -> None:
    DirectoryVersion.objects.update_or_create(pk=1, defaults={"version": uuid.uuid4().hex})


def directory_version() -> str:
    return DirectoryVersion.objects.filter(pk=1).values_list("version", flat=True).first() or ""


def _documents():
    naf_labels = dict(NafCode.objects.filter(level=5).values_list("code", "label"))
    tags: dict[int, list[str]] = {}
    for unit_id, label in LegalUnit.tags.through.objects.values_list("legalunit_id", "tag__label"):
        tags.setdefault(unit_id, []).append(label)
    rows = Establishment.objects.values_list(
        "id",
        "name",
        "city",
        "naf",
        "legal_unit_id",
        "legal_unit__name",
        "legal_unit__acronym",
        "legal_unit__description",
    )
    for pk, name, city, naf, unit_id, unit_name, acronym, description in rows.iterator(2000):
        text = " ".join(
            part
            for part in (
                name,
                unit_name,
                acronym,
                description,
                city,
                naf_labels.get(naf, ""),
                " ".join(tags.get(unit_id, [])),
            )
            if part
        )
        yield pk, text


def _build() -> TextIndex:
    ids, texts = [], []
    for pk, text in _documents():
        ids.append(pk)
        texts.append(text)
    return TextIndex(ids, texts)


_index = VersionedCache(directory_version, _build)


def directory_index() -> TextIndex:
    return _index.get()
