"""The base of every Filière management command: located errors, a summary, transactions."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType

from django.core.management.base import BaseCommand as DjangoBaseCommand
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from filiere.common.formats import counted


@dataclass(frozen=True)
class LocatedError:
    """One problem in an input, with where it is: file, line (1-based) and field."""

    source: str
    message: str
    line: int | None = None
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f", ligne {self.line}"
        if self.field:
            where += f", champ « {self.field} »"
        text = f"{where} : {self.message}"
        if self.value is not None:
            text += f" (valeur : {self.value!r})"
        return text


class InputErrors(Exception):
    """Raised with every problem found in an input, so that nothing is written."""

    def __init__(self, errors: list[LocatedError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, amount: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + amount

    def __str__(self) -> str:
        return ", ".join(f"{key}: {value}" for key, value in self.counts.items()) or "rien à faire"


class BaseCommand(DjangoBaseCommand):
    """Runs ``run()`` in one transaction, turns ``InputErrors`` into a located, non-zero exit.

    ``--dry-run`` runs everything and rolls back, for commands that write in bulk.
    """

    atomic = True

    def add_arguments(self, parser):
        if self.atomic:
            parser.add_argument(
                "--dry-run",
                action="store_true",
                help="Tout vérifier et compter sans rien écrire.",
            )

    def handle(self, *args, **options):
        self.console = Console(stderr=True, quiet=options.get("verbosity", 1) == 0)
        self.summary = Summary()
        dry_run = options.get("dry_run", False)
        try:
            with self._maybe_atomic(dry_run):
                self.run(*args, **options)
        except InputErrors as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{counted(len(exc.errors), 'erreur', 'erreurs')} : "
                "rien n'a été écrit dans la base."
            ) from exc
        suffix = " (simulation : rien n'a été écrit)" if dry_run else ""
        self.stdout.write(f"Terminé — {self.summary}{suffix}")

    @contextmanager
    def _maybe_atomic(self, dry_run: bool) -> Iterator[None]:
        if not self.atomic:
            yield
            return
        with transaction.atomic():
            yield
            if dry_run:
                transaction.set_rollback(True)

    def run(self, *args, **options) -> None:
        raise NotImplementedError

    @contextmanager
    def steps(self, title: str) -> Iterator[Callable[[str], None]]:
        """A spinner for a long command made of named steps: the block gets the function
        that names the step under way."""
        with Progress(
            SpinnerColumn(),
            TextColumn(f"{title} : {{task.description}}"),
            TimeElapsedColumn(),
            console=self.console,
            disable=self.console.quiet,
        ) as progress:
            task = progress.add_task("", total=None)
            yield lambda step: progress.update(task, description=step)


class DemoCommand(BaseCommand):
    """Loads an app's demo once: ``demo`` is its module, with ``demo_is_loaded()``,
    ``demo_load(summary)`` and ``demo_clear(summary)``; ``--reset`` clears it first."""

    demo: ModuleType

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--reset", action="store_true", help="Supprimer puis régénérer.")

    def run(self, *args, reset: bool, **options) -> None:
        if reset:
            self.demo.demo_clear(self.summary)
        if self.demo.demo_is_loaded():
            self.summary.add("démo déjà chargée")
        else:
            self.demo.demo_load(self.summary)


def parse_moment(value: str | None) -> datetime:
    """A ``--now`` option: an ISO 8601 date and time (local time when naive), now if absent."""
    if not value:
        return timezone.now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now : date invalide {value!r} (format 2026-01-31T09:00)") from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
