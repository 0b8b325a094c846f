"""French full-text ranking with BM25 (bm25s), accent-insensitive and stemmed.

Texts and queries are folded (lower case, accents removed) before French stop
words are dropped and words are stemmed with Snowball's French stemmer, so
« Développement », « developpeurs » and « développer » meet.
"""

import logging
import re
import unicodedata
from collections.abc import Collection, Sequence

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


class TextIndex:
    """A BM25 index over documents identified by arbitrary ids."""

    def __init__(self, ids: Sequence, texts: Sequence[str]):
        self.ids = list(ids)
        self._position = {doc_id: i for i, doc_id in enumerate(self.ids)}
        self._bm25 = bm25s.BM25()
        if self.ids:
            self._bm25.index([stems(t) for t in texts], show_progress=False)

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: str, *, k: int = 50, among: Collection | None = None) -> list[tuple]:
        """The best ``k`` (id, score) pairs for a query, optionally only among some ids."""
        if not self.ids or not query.strip():
            return []
        tokens = [t for t in stems(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return []
        mask = None
        if among is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            for doc_id in among:
                position = self._position.get(doc_id)
                if position is not None:
                    mask[position] = 1.0
            if not mask.any():
                return []
        k = min(k, len(self.ids))
        documents, scores = self._bm25.retrieve(
            [tokens], k=k, show_progress=False, weight_mask=mask, n_threads=1
        )
        return [
            (self.ids[position], float(score))
            for position, score in zip(documents[0], scores[0], strict=True)
            if score > 0
        ]
