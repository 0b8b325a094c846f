"""Rank providers for needs, from JSON Lines files (batch evaluation and scripting).

    python -m filiere rank --providers P.jsonl --needs N.jsonl --top 10 --out R.jsonl

A provider line is {"id", "name", "description", "tags": [...], "departement"},
a need line {"id", "text", "tags": [...], "departement"}; other fields are
ignored. Each output line is {"need_id", "provider_ids": [best first]}. A file
with a bad line is refused with the file, line and field of each problem, and
nothing is written.
"""

import json
from pathlib import Path

from django.core.management.base import CommandError
from rich.progress import Progress

from engine.matching import MatchIndex
from engine.matching_files import MatchingFileError, read_needs, read_providers
from filiere.common.command import BaseCommand
from filiere.common.formats import counted


class Command(BaseCommand):
    help = __doc__
    atomic = False

    def add_arguments(self, parser):
        parser.add_argument("--providers", required=True, type=Path)
        parser.add_argument("--needs", required=True, type=Path)
        parser.add_argument("--top", type=int, default=10)
        parser.add_argument("--out", required=True, type=Path)

    def run(self, *args, providers, needs, top, out, **options):
        if top < 1:
            raise CommandError("--top doit être un entier positif.")
        try:
            provider_rows = read_providers(providers)
            need_rows = read_needs(needs)
        except MatchingFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            if exc.total > len(exc.problems):
                self.stderr.write(
                    "… et "
                    + counted(exc.total - len(exc.problems), "autre problème", "autres problèmes")
                    + "."
                )
            raise CommandError(
                f"{counted(exc.total, 'problème', 'problèmes')} : aucun classement écrit."
            ) from exc
        index = MatchIndex(provider_rows)
        out = Path(out)
        partial = out.with_name(out.name + ".partial")
        with (
            partial.open("w", encoding="utf-8") as handle,
            Progress(console=self.console, disable=self.console.quiet) as progress,
        ):
            task = progress.add_task("Classement", total=len(need_rows))
            for need in need_rows:
                ranked = index.rank(need, top=top, explain=False)
                line = {"need_id": need.id, "provider_ids": [s.provider_id for s in ranked]}
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                progress.advance(task)
        partial.replace(out)
        self.summary.add("prestataires", len(provider_rows))
        self.summary.add("besoins classés", len(need_rows))
