"""Ranking quality measures: nDCG@k, recall@k and MRR against sets of relevant ids."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RankingQuality:
    ndcg: float
    recall: float
    mrr: float
    queries: int


def ndcg_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        return 0.0
    gain = sum(1 / math.log2(r + 2) for r, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1 / math.log2(r + 2) for r in range(min(len(relevant), k)))
    return gain / ideal


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    for r, item in enumerate(ranked):
        if item in relevant:
            return 1 / (r + 1)
    return 0.0


def evaluate(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]], *, k: int = 10
) -> RankingQuality:
    """Mean measures over the queries of ``qrels``; a query without a ranking scores 0."""
    queries = [q for q, relevant in qrels.items() if relevant]
    if not queries:
        return RankingQuality(0.0, 0.0, 0.0, 0)
    ndcg = recall = mrr = 0.0
    for query in queries:
        ranked, relevant = rankings.get(query, ()), qrels[query]
        ndcg += ndcg_at(ranked, relevant, k)
        recall += recall_at(ranked, relevant, k)
        mrr += reciprocal_rank(ranked, relevant)
    n = len(queries)
    return RankingQuality(ndcg / n, recall / n, mrr / n, n)
