"""How far any ranking can go on the DECP dev set: the figures behind docs/matching.md.

    python bench/matching_ceiling.py

The dev set marks one relevant supplier per need. Two properties of it bound
what a better score can win, whatever the signals:

* **ties**: suppliers with the same past contracts, codes and département
  (co-contractors, winners of the lots of one tender) get the same score; the
  benchmark counts only one of them as right. The first figure is the engine's
  nDCG@10 if every tie broke in favour of the relevant supplier.
* **the need's own text among the profiles**: when a need's text is word for
  word a past contract of other suppliers, they won that very tender (another
  lot, or with the relevant supplier); the second block splits the needs by
  whether the relevant supplier is among them, with the engine's nDCG@10 on each.
"""

import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from matching import DEV, qrels  # noqa: E402

from engine.matching import MatchIndex  # noqa: E402
from engine.matching_files import read_needs, read_providers  # noqa: E402
from engine.search import stems  # noqa: E402

K = 10


def gain(rank: int) -> float:
    """nDCG@10 of a single relevant item at ``rank`` (1-based)."""
    return 1 / math.log2(rank + 1) if rank <= K else 0.0


def main() -> None:
    providers = read_providers(DEV / "providers.jsonl")
    needs = read_needs(DEV / "needs.jsonl")
    relevant = qrels()
    index = MatchIndex(providers)
    holders: dict[str, set[str]] = defaultdict(set)
    for provider in providers:
        for line in provider.description.split("\n"):
            holders[" ".join(stems(line))].add(provider.id)

    engine = favourable = 0.0
    tied_needs = 0
    groups: dict[str, list[float]] = defaultdict(list)
    for need in needs:
        scores = {s.provider_id: s.score for s in index.rank(need, top=len(index), explain=False)}
        best = max(relevant[need.id], key=lambda pid: scores[pid])
        ahead = sum(1 for score in scores.values() if score > scores[best])
        tied = sum(1 for score in scores.values() if score == scores[best]) - 1
        achieved = gain(list(scores).index(best) + 1)  # ``scores`` is in rank order
        engine += achieved
        favourable += gain(ahead + 1)
        tied_needs += tied > 0
        same_text = holders.get(" ".join(stems(need.text)), set())
        if not same_text:
            group = "no supplier holds the need's text"
        elif relevant[need.id] & same_text:
            group = "the relevant supplier holds it (with others or alone)"
        else:
            group = "only other suppliers hold it"
        groups[group].append(achieved)

    count = len(needs)
    print(f"DECP dev set: {len(providers)} providers, {count} needs, nDCG@{K}")
    print(f"  engine                                   {engine / count:.4f}")
    print(
        f"  engine, every tie broken for the answer  {favourable / count:.4f}"
        f"  ({tied_needs} needs tie their answer with other suppliers)"
    )
    print("needs whose text is word for word a past contract of some suppliers:")
    for group, values in sorted(groups.items()):
        print(f"  {group:<56} {len(values):>5} needs  nDCG@{K} {sum(values) / len(values):.4f}")


if __name__ == "__main__":
    main()
