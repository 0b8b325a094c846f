"""The B2B meeting scheduler against first-come booking and against its upper bound.

    python bench/meetings.py [--time-limit 60] [--sizes 200,1000,5000]

Generated instances (engine.meetings.generator, fixed seeds): popularity skew
(a few participants asked for by many, Zipf-like), a third of the participants
arriving late or leaving early, breaks, caps of 6–10 meetings for half of them,
weights must = 3 / want = 2 / could = 1. Sizes 200 participants / 1,500
requests / 16 slots, 1,000 / 8,000 / 20 and 5,000 / 40,000 / 24. Each size runs
in its own process so that its peak memory is its own.

Targets on 2 cores within 60 s: ≥ 98 % of the upper bound at 1,000
participants, ≥ 1.15 × first-come at every size, the 5,000 size valid within its
limit and under 4 GB.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = {200: (1_500, 16), 1000: (8_000, 20), 5000: (40_000, 24)}


def run_one(participants: int, time_limit: float) -> dict:
    from engine.meetings.generator import generate
    from engine.meetings.greedy import first_come
    from engine.meetings.solver import solve
    from engine.meetings.validator import total_weight, violations

    requests, slots = SIZES[participants]
    instance = generate(participants, requests, slots, seed=participants)
    greedy = total_weight(instance, first_come(instance))
    started = time.perf_counter()
    result = solve(instance, time_limit=time_limit)
    elapsed = time.perf_counter() - started
    return {
        "participants": participants,
        "requests": requests,
        "slots": slots,
        "greedy": greedy,
        "objective": result.objective,
        "upper_bound": result.upper_bound,
        "seconds": elapsed,
        "valid": not violations(instance, result.meetings),
        "status": result.status,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--sizes", default="200,1000,5000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.time_limit)))
        return
    print(
        f"{'size':>24}  {'first-come':>10}  {'scheduler':>9}  {'× greedy':>8}  "
        f"{'bound':>7}  {'of bound':>8}  {'time':>6}  {'peak':>8}  valid  status"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--time-limit", str(args.time_limit)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        r = json.loads(output.strip().splitlines()[-1])
        label = f"{r['participants']:,} / {r['requests']:,} / {r['slots']}"
        print(
            f"{label:>24}  {r['greedy']:>10,}  {r['objective']:>9,}  "
            f"{r['objective'] / r['greedy']:>7.3f}×  {r['upper_bound']:>7,}  "
            f"{r['objective'] / r['upper_bound']:>8.2%}  {r['seconds']:>5.1f}s  "
            f"{r['peak_mb']:>6.0f}MB  {'yes' if r['valid'] else 'NO':>5}  {r['status']}"
        )


if __name__ == "__main__":
    main()
