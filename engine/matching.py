"""Ranking providers for a need, with the reasons of each suggestion.

Four signals, each computed over every provider of the index:

* **text**: French BM25 of the need's words against the provider's name,
  description and references (accents folded, stop words dropped, stems);
* **tags**: the shared tags, each worth its inverse document frequency
  ``log(N / df)``. Tags are hierarchical: ``cpv:72`` is an ancestor of
  ``cpv:7226`` when both are tags of the index, so a provider tagged
  ``cpv:7226`` also answers a need tagged ``cpv:72`` and the other way round,
  and a deeper shared code (rarer) weighs more;
* **same département**: the provider is based in, or serves, the need's
  département;
* **proximity**: ``exp(-distance / 50 km)`` between the two places, when both
  have coordinates (commune centroids).

The text and tag scores are standardised over the providers (z-scores), so
their weights do not depend on the size of the index or the length of the
need, then summed with the weights of :class:`Weights`. The weights were
chosen on the DECP benchmark (``bench/matching.py``, real public contracts:
a supplier's past contracts against its next one), where a grid over them
shows a broad plateau around these values; see ``docs/matching.md``.
"""

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np

from engine.search import analyse, stems

# BM25 parameters: a low length normalisation (b) suits profiles made of many
# short references, which are long because the provider is active, not verbose.
BM25_K1 = 1.2
BM25_B = 0.3
PROXIMITY_SCALE_KM = 50.0


@dataclass(frozen=True)
class Weights:
    text: float = 1.0
    tags: float = 0.4
    same_departement: float = 1.0
    proximity: float = 0.5


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Provider:
    id: str
    name: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    departement: str | None = None
    # Other départements the provider serves.
    serves: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Need:
    id: str
    text: str
    tags: tuple[str, ...] = ()
    departement: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Explanation:
    """Why a provider is suggested: what matched, and each signal's share of the score."""

    words: tuple[str, ...]
    tags: tuple[str, ...]
    same_departement: bool
    distance_km: float | None
    reference: str | None
    contributions: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    provider_id: str
    score: float
    explanation: Explanation


def _standardised(scores: np.ndarray) -> np.ndarray:
    spread = scores.std()
    if spread == 0:
        return np.zeros_like(scores)
    return (scores - scores.mean()) / spread


def haversine_km(lat1: float, lon1: float, lat2, lon2):
    """Great-circle distance in km; ``lat2``/``lon2`` may be arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


class MatchIndex:
    """Providers indexed once; :meth:`rank` then answers a need in milliseconds."""

    def __init__(self, providers: Iterable[Provider], weights: Weights = DEFAULT_WEIGHTS):
        self.providers: list[Provider] = list(providers)
        self.weights = weights
        seen: set[str] = set()
        for provider in self.providers:
            if provider.id in seen:
                raise ValueError(f"Provider {provider.id!r} appears twice")
            seen.add(provider.id)
        self._positions = {p.id: i for i, p in enumerate(self.providers)}
        self._stems = [self._document_stems(p) for p in self.providers]
        self._bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        # BM25 needs at least one word in the collection (its mean length divides).
        if any(self._stems):
            self._bm25.index(self._stems, show_progress=False)
        self._stem_sets = [frozenset(s) for s in self._stems]
        self._index_tags()
        self._index_places()

    @staticmethod
    def _document_stems(provider: Provider) -> list[str]:
        return stems(" ".join((provider.name, provider.description, *provider.references)))

    def _index_tags(self) -> None:
        self._vocabulary = {tag for p in self.providers for tag in p.tags}
        postings: dict[str, list[int]] = defaultdict(list)
        self._tag_sets: list[frozenset[str]] = []
        for i, provider in enumerate(self.providers):
            expanded = self._expand(provider.tags)
            self._tag_sets.append(expanded)
            for tag in expanded:
                postings[tag].append(i)
        count = max(len(self.providers), 1)
        self._postings = {tag: np.array(rows) for tag, rows in postings.items()}
        self._idf = {tag: math.log(count / len(rows)) for tag, rows in postings.items()}

    def _expand(self, tags: Iterable[str]) -> frozenset[str]:
        """The tags and their ancestors among the index's tags (``cpv:72`` for ``cpv:7226``)."""
        expanded = set()
        for tag in tags:
            expanded.add(tag)
            scheme, sep, code = tag.partition(":")
            if not sep:
                continue
            for end in range(1, len(code)):
                ancestor = f"{scheme}:{code[:end]}"
                if ancestor in self._vocabulary:
                    expanded.add(ancestor)
        return frozenset(expanded)

    def _index_places(self) -> None:
        self._departements = [
            frozenset(d for d in (p.departement, *p.serves) if d) for p in self.providers
        ]
        self._by_departement: dict[str, list[int]] = defaultdict(list)
        for i, places in enumerate(self._departements):
            for code in places:
                self._by_departement[code].append(i)
        self._latitudes = np.array(
            [np.nan if p.latitude is None else p.latitude for p in self.providers]
        )
        self._longitudes = np.array(
            [np.nan if p.longitude is None else p.longitude for p in self.providers]
        )

    def __len__(self) -> int:
        return len(self.providers)

    def _signals(self, need: Need) -> dict[str, np.ndarray]:
        size = len(self.providers)
        vocabulary = getattr(self._bm25, "vocab_dict", None) or {}
        query = [s for s in stems(need.text) if s in vocabulary]
        text = self._bm25.get_scores(query) if query else np.zeros(size)
        tags = np.zeros(size)
        for tag in self._expand(need.tags):
            rows = self._postings.get(tag)
            if rows is not None:
                tags[rows] += self._idf[tag]
        same = np.zeros(size)
        if need.departement:
            same[self._by_departement.get(need.departement, [])] = 1.0
        proximity = np.zeros(size)
        if need.latitude is not None and need.longitude is not None:
            distances = haversine_km(
                need.latitude, need.longitude, self._latitudes, self._longitudes
            )
            proximity = np.nan_to_num(np.exp(-distances / PROXIMITY_SCALE_KM), nan=0.0)
        return {
            "text": _standardised(np.asarray(text, dtype=np.float64)),
            "tags": _standardised(tags),
            "same_departement": same,
            "proximity": proximity,
        }

    def provider(self, provider_id: str) -> Provider:
        return self.providers[self._positions[provider_id]]

    def rank(
        self,
        need: Need,
        *,
        top: int = 10,
        explain: bool = True,
        among: Collection[str] | None = None,
    ) -> list[Suggestion]:
        """The ``top`` providers for a need, best first (ties broken by index order).

        ``among`` restricts the suggestions to some provider ids; the signals
        are still standardised over the whole index.
        """
        if not self.providers or top <= 0:
            return []
        signals = self._signals(need)
        weighted = {name: getattr(self.weights, name) * values for name, values in signals.items()}
        total = sum(weighted.values())
        top = min(top, len(self.providers))
        if among is not None:
            allowed = np.zeros(len(self.providers), dtype=bool)
            allowed[[self._positions[i] for i in among if i in self._positions]] = True
            top = min(top, int(allowed.sum()))
            if top == 0:
                return []
            total = np.where(allowed, total, -np.inf)
        # The providers above the top-th score, then the first in index order of those tied
        # with it: a partial sort alone would keep any of the tied ones.
        cut = total[np.argpartition(-total, top - 1)[top - 1]]
        above = np.flatnonzero(total > cut)
        best = np.concatenate((above, np.flatnonzero(total == cut)[: top - len(above)]))
        best = best[np.lexsort((best, -total[best]))]
        need_words = analyse(need.text) if explain else []
        need_tags = self._expand(need.tags) if explain else frozenset()
        return [
            Suggestion(
                provider_id=self.providers[i].id,
                score=float(total[i]),
                explanation=self._explain(i, need, need_words, need_tags, weighted)
                if explain
                else None,
            )
            for i in best
        ]

    def _explain(self, i, need, need_words, need_tags, weighted) -> Explanation:
        provider = self.providers[i]
        document = self._stem_sets[i]
        words = tuple(dict.fromkeys(word for word, stem in need_words if stem in document))
        shared = need_tags & self._tag_sets[i]
        # The deepest shared codes say the most; their ancestors are implied.
        deepest = tuple(
            sorted(
                (t for t in shared if not any(o != t and o.startswith(t) for o in shared)),
                key=lambda t: -self._idf.get(t, 0.0),
            )
        )
        distance = None
        if need.latitude is not None and not math.isnan(self._latitudes[i]):
            distance = round(
                float(
                    haversine_km(
                        need.latitude, need.longitude, self._latitudes[i], self._longitudes[i]
                    )
                ),
                1,
            )
        return Explanation(
            words=words,
            tags=deepest,
            same_departement=bool(need.departement) and need.departement in self._departements[i],
            distance_km=distance,
            reference=self._best_reference(provider, {s for _w, s in need_words}),
            contributions={name: round(float(v[i]), 3) for name, v in weighted.items()},
        )

    @staticmethod
    def _best_reference(provider: Provider, need_stems: set[str]) -> str | None:
        best, best_overlap = None, 0
        for reference in provider.references:
            overlap = len(need_stems & set(stems(reference)))
            if overlap > best_overlap:
                best, best_overlap = reference, overlap
        return best

    def rank_many(self, needs: Sequence[Need], *, top: int = 10) -> list[list[str]]:
        """Provider ids ranked for each need, without explanations (batch evaluation)."""
        return [[s.provider_id for s in self.rank(n, top=top, explain=False)] for n in needs]
