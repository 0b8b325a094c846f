"""French full-text ranking with BM25 (bm25s), accent-insensitive and stemmed.

Texts and queries are folded (lower case, accents removed) before French stop
words are dropped and words are stemmed with Snowball's French stemmer, so
« Développement », « developpeurs » and « développer » meet.

An index is saved to a folder and loaded back memory-mapped (no rebuild), and
documents written after it was built are scored with its statistics
(:meth:`TextIndex.score_added`), so that a few changes need no rebuild.
"""

import json
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_FRENCH

# bm25s sets its logger to DEBUG when imported and reports every index it builds.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_STEMMER = Stemmer.Stemmer("french")


def fold(text: str) -> str:
    """Lower case without accents. A replacement character (U+FFFD, left by a file
    decoded with the wrong encoding) is read as « e », the most frequent accented
    letter in French (« r\ufffdparation » → « reparation »)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("\ufffd", "e"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_STOPWORDS = frozenset(fold(word) for word in STOPWORDS_FRENCH)
_WORD = re.compile(r"\w\w+")
_STEMS: dict[str, str] = {}


def analyse(text: str) -> list[tuple[str, str]]:
    """The (folded word, stem) pairs of a text, stop words left out, in order."""
    words = [w for w in _WORD.findall(fold(text)) if w not in _STOPWORDS]
    unknown = [w for w in set(words) if w not in _STEMS]
    if unknown:
        _STEMS.update(zip(unknown, _STEMMER.stemWords(unknown), strict=True))
    return [(w, _STEMS[w]) for w in words]


def stems(text: str) -> list[str]:
    return [stem for _word, stem in analyse(text)]


@dataclass(frozen=True)
class Added:
    """Documents written after an index was built, analysed once: each one's stem counts and
    length, to be scored with the index's statistics (:meth:`TextIndex.score_added`)."""

    counts: tuple[Counter, ...]
    lengths: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> "Added":
        documents = [stems(text) for text in texts]
        return cls(tuple(Counter(d) for d in documents), np.array([len(d) for d in documents]))

    def __len__(self) -> int:
        return len(self.counts)


_STATISTICS = "statistics.json"
_IDS = "ids.npy"


class TextIndex:
    """A BM25 index over documents identified by arbitrary ids (Lucene's BM25, bm25s's
    default: k1 = 1.5, b = 0.75)."""

    def __init__(self, ids: Sequence, texts: Sequence[str]):
        documents = [stems(t) for t in texts]
        bm25 = bm25s.BM25()
        # BM25 needs at least one word in the collection (its mean length divides).
        if any(documents):
            bm25.index(documents, show_progress=False)
        average = float(np.mean([len(d) for d in documents])) if documents else 0.0
        self._set(np.asarray(ids), bm25, average)

    def _set(self, ids: np.ndarray, bm25: bm25s.BM25, average_length: float) -> None:
        self.ids = ids
        self._bm25 = bm25
        self._average_length = average_length

    def __len__(self) -> int:
        return len(self.ids)

    def save(self, folder: Path) -> None:
        """Write the index in ``folder`` (which must exist): bm25s's arrays and vocabulary, the
        ids, the mean length of a document."""
        words = bool(self._vocabulary())
        if words:
            self._bm25.save(folder, show_progress=False)
        np.save(folder / _IDS, self.ids, allow_pickle=False)
        statistics = {"average_length": self._average_length, "words": words}
        (folder / _STATISTICS).write_text(json.dumps(statistics))

    @classmethod
    def load(cls, folder: Path) -> "TextIndex":
        """An index saved by :meth:`save`, its arrays memory-mapped: the operating system reads
        the pages a search touches, and processes on one machine share them."""
        index = cls.__new__(cls)
        ids = np.load(folder / _IDS, mmap_mode="r", allow_pickle=False)
        statistics = json.loads((folder / _STATISTICS).read_text())
        if statistics["words"]:
            bm25 = bm25s.BM25.load(folder, mmap=True, show_progress=False)
        else:
            bm25 = bm25s.BM25()
        index._set(ids, bm25, statistics["average_length"])
        return index

    @cached_property
    def _positions(self) -> dict:
        return {doc_id: i for i, doc_id in enumerate(self.ids.tolist())}

    def _vocabulary(self) -> dict[str, int]:
        return getattr(self._bm25, "vocab_dict", None) or {}

    def scores(self, query: str) -> np.ndarray:
        """The score of every document, in the order of ``ids`` (0 where no word of the query
        is found)."""
        vocabulary = self._vocabulary()
        tokens = [t for t in stems(query) if t in vocabulary]
        if not tokens:
            return np.zeros(len(self), dtype=np.float32)
        return self._bm25.get_scores(tokens)

    def search(self, query: str, *, k: int = 50, among: Collection | None = None) -> list[tuple]:
        """The best ``k`` (id, score) pairs for a query, optionally only among some ids, best
        first (ties in the order of ``ids``)."""
        if not len(self) or not query.strip():
            return []
        scores = self.scores(query)
        if among is not None:
            allowed = np.zeros(len(self), dtype=bool)
            allowed[[self._positions[i] for i in among if i in self._positions]] = True
            scores = np.where(allowed, scores, 0)
        found = np.flatnonzero(scores > 0)
        best = found[np.lexsort((found, -scores[found]))][:k]
        return [
            (doc_id, float(score))
            for doc_id, score in zip(self.ids[best].tolist(), scores[best].tolist(), strict=True)
        ]

    def score_added(self, query: str, added: Added) -> np.ndarray:
        """The BM25 scores of documents written after the index was built, computed with the
        index's statistics (its number of documents, mean length and document frequencies), as
        :meth:`scores` gives its own documents: a document of the index scores the same here.
        A word the index has never seen counts the added documents that hold it; an empty
        index lends no statistics, and the added documents' own are used."""
        scores = np.zeros(len(added))
        if not len(added):
            return scores
        count, average = len(self), self._average_length
        if not count:
            count, average = len(added), float(added.lengths.mean())
        vocabulary = self._vocabulary()
        indptr = self._bm25.scores["indptr"] if vocabulary else None
        k1, b = self._bm25.k1, self._bm25.b
        norms = k1 * ((1 - b) + b * added.lengths / average) if average else np.full(len(added), k1)
        for token in stems(query):
            column = vocabulary.get(token)
            if column is not None:
                frequency = int(indptr[column + 1] - indptr[column])
            else:
                frequency = sum(1 for counts in added.counts if token in counts)
            if not frequency:
                continue
            idf = math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))
            tf = np.array([counts.get(token, 0) for counts in added.counts], dtype=np.float64)
            scores += idf * tf / (norms + tf)
        return scores
