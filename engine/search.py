"""French full-text ranking with BM25 (bm25s), accent-insensitive and stemmed.

Texts and queries are folded (lower case, accents removed) before French stop
words are dropped and words are stemmed with Snowball's French stemmer, so
« Développement », « developpeurs » and « développer » meet.
"""

import unicodedata
from collections.abc import Collection, Sequence

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_FRENCH

_STEMMER = Stemmer.Stemmer("french")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_STOPWORDS = sorted({fold(word) for word in STOPWORDS_FRENCH})


def _tokens(texts: list[str]):
    return bm25s.tokenize(
        [fold(t) for t in texts],
        stopwords=_STOPWORDS,
        stemmer=_STEMMER.stemWords,
        show_progress=False,
    )


class TextIndex:
    """A BM25 index over documents identified by arbitrary ids."""

    def __init__(self, ids: Sequence, texts: Sequence[str]):
        self.ids = list(ids)
        self._position = {doc_id: i for i, doc_id in enumerate(self.ids)}
        self._bm25 = bm25s.BM25()
        if self.ids:
            self._bm25.index(_tokens(list(texts)), show_progress=False)

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: str, *, k: int = 50, among: Collection | None = None) -> list[tuple]:
        """The best ``k`` (id, score) pairs for a query, optionally only among some ids."""
        if not self.ids or not query.strip():
            return []
        tokens = _tokens([query])
        if not tokens.vocab:
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
            tokens, k=k, show_progress=False, weight_mask=mask, n_threads=1
        )
        return [
            (self.ids[position], float(score))
            for position, score in zip(documents[0], scores[0], strict=True)
            if score > 0
        ]
