"""Schedule B2B meetings: the most weight of accepted requests met, every rule kept.

    python -m filiere schedule_meetings --instance I.json --out S.json --time-limit 60

Instance: {"slots": [{"id", "start", "end", "tables"}], "participants": [{"id",
"unavailable": [slot ids], "max_meetings": int or null}], "requests": [{"id",
"participants": [a, b], "weight": int}]}. Output: {"meetings": [{"request",
"slot", "table"}], "objective", "upper_bound"}. An invalid instance (unknown or
duplicate ids, a request with the same person twice, negative numbers) is
reported with the place of each problem, and nothing is written.
"""

import json
from pathlib import Path

from django.core.management.base import CommandError

from engine.meetings.greedy import first_come
from engine.meetings.instance import InstanceError, read_instance
from engine.meetings.solver import solve
from engine.meetings.validator import total_weight
from filiere.common.command import BaseCommand
from filiere.common.formats import counted


class Command(BaseCommand):
    help = __doc__
    atomic = False

    def add_arguments(self, parser):
        parser.add_argument("--instance", required=True, type=Path)
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--time-limit", type=float, default=60.0)
        parser.add_argument("--workers", type=int, default=2)

    def run(self, *args, instance, out, time_limit, workers, **options):
        if time_limit <= 0 or workers < 1:
            raise CommandError("--time-limit et --workers doivent être positifs.")
        try:
            problem = read_instance(instance)
        except InstanceError as exc:
            for where, what in exc.problems[:100]:
                self.stderr.write(f"{exc.source}, {where} : {what}")
            if len(exc.problems) > 100:
                self.stderr.write(
                    "… et "
                    + counted(len(exc.problems) - 100, "autre problème", "autres problèmes")
                    + "."
                )
            raise CommandError(
                f"{counted(len(exc.problems), 'problème', 'problèmes')} : aucun planning écrit."
            ) from exc

        with self.console.status("Planification…") as status:
            result = solve(
                problem,
                time_limit=time_limit,
                workers=workers,
                on_progress=lambda value, seconds: status.update(
                    f"Planification… meilleur total {value} ({seconds:.0f} s)"
                ),
            )
        out = Path(out)
        partial = out.with_name(out.name + ".partial")
        partial.write_text(
            json.dumps(
                {
                    "meetings": [
                        {"request": m.request, "slot": m.slot, "table": m.table}
                        for m in sorted(result.meetings, key=lambda m: (m.slot, m.table))
                    ],
                    "objective": result.objective,
                    "upper_bound": result.upper_bound,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        partial.replace(out)
        greedy = total_weight(problem, first_come(problem))
        self.summary.add("rendez-vous", len(result.meetings))
        self.summary.add("total des poids", result.objective)
        self.summary.add("borne supérieure", result.upper_bound)
        self.summary.add("premier arrivé (comparaison)", greedy)
        self.stdout.write(
            f"{result.objective / max(result.upper_bound, 1):.1%} de la borne, "
            f"en {result.seconds:.1f} s ({result.status})"
        )
