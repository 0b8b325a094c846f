"""The matching engine on real public contracts, and its speed.

    python bench/matching.py [--providers 100000] [--needs 1000]

Quality: ``data/decp/matching_dev`` (DECP 2018–2019: a supplier's past contracts
are its profile, its latest contract is the need). The engine against plain
BM25 on the text (bm25s defaults, French stems, accents folded, stop words),
nDCG@10, recall@10 and MRR; then the same engine with each signal left out,
which shows what each one brings. Target: nDCG@10 ≥ 1.15 × BM25's.

Speed (targets on 2 cores): index ``--providers`` providers (< 30 s), p95 of one
need against them (< 20 ms), the whole dev set ranked (< 5 s). The large index
is made of the dev providers' real texts and tags, recombined (seeded).
"""

import argparse
import dataclasses
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.evaluation import evaluate  # noqa: E402
from engine.matching import MatchIndex, Provider, Weights  # noqa: E402
from engine.matching_files import read_needs, read_providers  # noqa: E402
from engine.search import TextIndex  # noqa: E402

DEV = ROOT / "data" / "decp" / "matching_dev"


def qrels() -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = {}
    with (DEV / "qrels.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            relevant.setdefault(row["need_id"], set()).add(row["provider_id"])
    return relevant


def show(name: str, quality, baseline=None) -> None:
    ratio = f"  ({quality.ndcg / baseline.ndcg:.3f} × BM25)" if baseline else ""
    print(
        f"  {name:<34} nDCG@10 {quality.ndcg:.4f}  recall@10 {quality.recall:.4f}"
        f"  MRR {quality.mrr:.4f}{ratio}"
    )


def quality_figures(providers, needs, relevant) -> None:
    print(f"DECP dev set: {len(providers)} providers, {len(needs)} needs")
    plain = TextIndex([p.id for p in providers], [f"{p.name} {p.description}" for p in providers])
    baseline = evaluate(
        {n.id: [pid for pid, _ in plain.search(n.text, k=10)] for n in needs}, relevant
    )
    show("plain BM25 (text)", baseline)
    started = time.perf_counter()
    index = MatchIndex(providers)
    rankings = dict(zip((n.id for n in needs), index.rank_many(needs, top=10), strict=True))
    elapsed = time.perf_counter() - started
    show("engine (text + tags + place)", evaluate(rankings, relevant), baseline)
    for signal in ("tags", "same_departement"):
        weights = dataclasses.replace(Weights(), **{signal: 0.0})
        ablated = MatchIndex(providers, weights)
        show(
            f"engine without {signal}",
            evaluate(
                dict(zip((n.id for n in needs), ablated.rank_many(needs), strict=True)), relevant
            ),
            baseline,
        )
    print(f"whole dev set indexed and ranked in {elapsed:.2f} s (target < 5 s)")


def recombined(providers: list[Provider], count: int, seed: int = 7) -> list[Provider]:
    """``count`` providers made of the dev providers' real contract texts and tags."""
    rng = random.Random(seed)
    lines = [line for p in providers for line in p.description.split("\n") if line.strip()]
    made = []
    for i in range(count):
        model = providers[rng.randrange(len(providers))]
        made.append(
            Provider(
                id=f"p{i:06d}",
                name=model.name,
                description="\n".join(rng.sample(lines, rng.randint(1, 6))),
                tags=model.tags,
                departement=model.departement,
            )
        )
    return made


def speed_figures(providers, needs, count: int, queries: int) -> None:
    large = recombined(providers, count)
    started = time.perf_counter()
    index = MatchIndex(large)
    print(f"index of {count:,} providers built in {time.perf_counter() - started:.1f} s")
    sample = random.Random(3).sample(needs, min(queries, len(needs)))
    timings = []
    for need in sample:
        started = time.perf_counter()
        index.rank(need, top=10)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"one need against {count:,} providers, with explanations ({len(timings)} needs): "
        f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms (target < 20 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--providers", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=1000)
    args = parser.parse_args()
    providers = read_providers(DEV / "providers.jsonl")
    needs = read_needs(DEV / "needs.jsonl")
    quality_figures(providers, needs, qrels())
    speed_figures(providers, needs, args.providers, args.needs)


if __name__ == "__main__":
    main()
