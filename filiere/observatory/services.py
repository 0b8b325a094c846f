"""Writes of the observatory: what follows an import of the register; the imports started
from its page, which a worker runs (``tasks.import_register``) and a watch ends when their
worker stops (``tasks.watch_register_imports``)."""

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.register.reader import RegisterFileError
from filiere.common.heartbeat import heartbeat
from filiere.common.queue import enqueue_on_commit
from filiere.directory.search import directory_changed
from filiere.directory.services.register import (
    ImportResult,
    RejectedRows,
    register_read,
    register_write,
)
from filiere.observatory import access, tasks
from filiere.observatory.enums import ImportPhase, ImportStatus
from filiere.observatory.models import (
    ERRORS_KEPT,
    HEARTBEAT_EVERY,
    HEARTBEAT_STALE,
    SireneImport,
)
from filiere.observatory.selectors import observatory_scope
from filiere.programme.figures import figures_changed

# The progress of an import is written at most this often (seconds).
PROGRESS_EVERY = 1.0


def register_imported(*, departements: tuple[str, ...] = (), years: int = 10) -> None:
    """After an import: the search index and the figures are stale. The figures the pages
    ask for first (each région touched and its départements, every sector, today and the
    first day of the last ``years`` years) are computed again by a worker once the import
    commits (``tasks.precompute_observatory``), so that they open fast."""
    directory_changed()
    figures_changed()
    if departements:
        enqueue_on_commit(tasks.precompute_observatory, list(departements), years)


class ImportStopped(Exception):
    """The import's row is no longer running (cancelled, or failed by the watch): stop."""


def register_import_start(
    *,
    user,
    establishments: File,
    legal_units: File | None = None,
    territory: str,
    sector: str = "",
    accept_rejected_rows: bool = False,
) -> SireneImport:
    """Store the files (default storage, private prefix) and queue their import for a worker;
    refused while another import waits or runs."""
    register_imports_watch()  # an import whose worker died no longer holds the place
    place, _definition = observatory_scope(territory, sector)
    with transaction.atomic():
        access.check_import_register(user)
        register_import = SireneImport(
            started_by=user,
            establishments_name=Path(establishments.name).name[:255],
            legal_units_name=Path(legal_units.name).name[:255] if legal_units else "",
            territory=territory,
            territory_label=place.label,
            sector=sector,
            accept_rejected_rows=accept_rejected_rows,
        )
        register_import.establishments_file.save(establishments.name, establishments, save=False)
        if legal_units:
            register_import.legal_units_file.save(legal_units.name, legal_units, save=False)
        register_import.save()
        enqueue_on_commit(tasks.import_register, register_import.pk)
    return register_import


@transaction.atomic
def register_import_cancel(*, register_import: SireneImport, user) -> SireneImport:
    """Cancel an import that waits or reads; its worker stops at its next batch."""
    register_import = SireneImport.objects.select_for_update().get(pk=register_import.pk)
    access.check_cancel_import(user, register_import)
    was_queued = register_import.is_queued
    register_import.status = ImportStatus.CANCELLED
    register_import.finished_at = timezone.now()
    register_import.save(update_fields=["status", "finished_at"])
    if was_queued:  # no worker holds the files; a running one deletes them as it stops
        _discard_files(register_import)
    return register_import


def register_import_run(*, import_id: int, task_id: str) -> None:
    """A worker's import: read with progress (cancellable), then write in one transaction and
    mark the import done in it; an unreadable file or rejected rows mark it failed with the
    located errors, nothing written. Does nothing for an import that is over, or that another
    live worker runs (a message delivered twice)."""
    register_import = _claim(import_id, task_id)
    if register_import is None:
        return
    place, definition = observatory_scope(register_import.territory, register_import.sector)
    files = _LocalFiles()
    progress = _Progress(register_import.pk)
    try:
        with tempfile.TemporaryDirectory(prefix="filiere-register-") as spool:
            # Alive while it reads, even when no batch comes for long (a small territory of a
            # national file); a cancel is seen by the progress, between batches.
            alive = heartbeat(
                lambda: bool(_running(import_id).update(heartbeat=timezone.now())),
                every=HEARTBEAT_EVERY.total_seconds(),
                name=f"register-import-{import_id}",
            )
            with alive, _local_files(register_import, files):
                read = register_read(
                    establishment_files=files.establishments,
                    legal_unit_files=files.legal_units,
                    departements=place.departements,
                    communes=place.communes,
                    naf_codes=definition.naf_codes if definition else (),
                    spool=Path(spool),
                    on_batch=progress,
                )
            _running(register_import.pk).update(
                phase=ImportPhase.WRITING, rows_kept=progress.rows, heartbeat=timezone.now()
            )
            with transaction.atomic():
                # Locked while it writes: the watch passes over it (PostgreSQL), and a cancel
                # that came in the meantime stops it here.
                if not _running(register_import.pk).select_for_update().values_list("pk"):
                    raise ImportStopped
                result = register_write(
                    read,
                    territory_label=place.label,
                    sector_label=register_import.sector,
                    accept_rejected_rows=register_import.accept_rejected_rows,
                )
                _finish(register_import, ImportStatus.DONE, result=result, names=files.names)
    except RegisterFileError as exc:
        _finish(
            register_import,
            ImportStatus.FAILED,
            failure=_("Fichier illisible : rien n'a été écrit."),
            problems=exc.report.problems,
            names=files.names,
        )
        return
    except RejectedRows as exc:
        _finish(
            register_import,
            ImportStatus.FAILED,
            failure=_("Des lignes sont rejetées : rien n'a été écrit."),
            result=exc.result,
            names=files.names,
        )
        return
    except ImportStopped:
        _discard_files(register_import)
        return
    except OperationalError:
        raise  # the database, busy or gone for a moment: the task tries again
    except Exception:
        _finish(
            register_import,
            ImportStatus.FAILED,
            failure=_("erreur inattendue, consignée par le worker ; relancez l'import"),
            names=files.names,
        )
        raise
    if result.changed:
        register_imported(departements=place.departements)


def register_imports_watch(*, now=None) -> int:
    """Mark failed the imports whose worker stopped (no heartbeat for two minutes) or that no
    worker took (queued for ten minutes): their pages stop waiting and say to start again.
    Beat runs it, and so do an import's page and the start of another.
    Returns how many. An import that writes holds its row until it is done: on PostgreSQL
    the watch passes over it; on SQLite, whose one writer it is, the watch cannot write
    before it ends (« database is locked ») and its next run finds the import done."""
    now = now or timezone.now()
    failed = 0
    for pk in SireneImport.objects.stale(now).values_list("pk", flat=True):
        with transaction.atomic():
            register_import = (
                SireneImport.objects.select_for_update(skip_locked=True)
                .stale(now)
                .filter(pk=pk)
                .first()
            )
            if register_import is None:
                continue
            register_import.failure = (
                _("interrompu : le worker s'est arrêté ; relancez l'import")
                if register_import.is_running
                else _("jamais commencé : aucun worker ne l'a pris en charge ; relancez l'import")
            )
            register_import.status = ImportStatus.FAILED
            register_import.finished_at = now
            register_import.save(update_fields=["failure", "status", "finished_at"])
            _discard_files(register_import)
            failed += 1
    return failed


def _running(pk: int):
    return SireneImport.objects.filter(pk=pk, status=ImportStatus.RUNNING)


@transaction.atomic
def _claim(import_id: int, task_id: str) -> SireneImport | None:
    register_import = SireneImport.objects.select_for_update().filter(pk=import_id).first()
    if register_import is None or not register_import.is_active:
        return None
    now = timezone.now()
    if (
        register_import.is_running
        and register_import.task_id != task_id
        and register_import.heartbeat
        and register_import.heartbeat >= now - HEARTBEAT_STALE
    ):
        return None
    register_import.status = ImportStatus.RUNNING
    register_import.phase = ImportPhase.READING
    register_import.task_id = task_id
    register_import.rows_kept = 0
    register_import.started_at = register_import.started_at or now
    register_import.heartbeat = now
    register_import.save(
        update_fields=["status", "phase", "task_id", "rows_kept", "started_at", "heartbeat"]
    )
    return register_import


class _Progress:
    """The rows kept so far, written with the heartbeat at most once a second; the import's
    row no longer running stops the read (a cancel)."""

    def __init__(self, pk: int):
        self.pk = pk
        self.rows = 0
        self.written_at: float | None = None

    def __call__(self, rows: int) -> None:
        self.rows += rows
        now = time.monotonic()
        if self.written_at is not None and now - self.written_at < PROGRESS_EVERY:
            return
        self.written_at = now
        if not _running(self.pk).update(rows_kept=self.rows, heartbeat=timezone.now()):
            raise ImportStopped


@dataclass
class _LocalFiles:
    establishments: list[Path] = field(default_factory=list)
    legal_units: list[Path] = field(default_factory=list)
    # The local path of each file → the name it was uploaded with, for the located errors.
    names: dict[str, str] = field(default_factory=dict)


@contextmanager
def _local_files(register_import: SireneImport, files: _LocalFiles) -> Iterator[None]:
    """Fill ``files`` with the import's files as paths the reader opens: the default storage's
    own when it has paths, else copies in a temporary directory (a worker on another
    machine)."""
    with ExitStack() as stack:
        for stored, name, paths in (
            (register_import.establishments_file, register_import.establishments_name,
             files.establishments),
            (register_import.legal_units_file, register_import.legal_units_name,
             files.legal_units),
        ):  # fmt: skip
            if stored:
                path = stack.enter_context(_local(stored.name))
                paths.append(path)
                files.names[str(path)] = name
        yield


@contextmanager
def _local(name: str) -> Iterator[Path]:
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="filiere-register-") as directory:
        copy = Path(directory) / Path(name).name
        with default_storage.open(name, "rb") as source, copy.open("wb") as out:
            shutil.copyfileobj(source, out, length=1 << 20)
        yield copy


def _finish(
    register_import: SireneImport,
    status: str,
    *,
    result: ImportResult | None = None,
    problems=(),
    failure: str = "",
    names: dict[str, str],
) -> None:
    """The outcome, on a row still running (a cancel or the watch came first otherwise)."""
    fields = {"status": status, "failure": failure, "finished_at": timezone.now(), "phase": ""}
    if result is not None:
        problems = result.problems
        fields.update(
            establishments_created=result.created,
            establishments_updated=result.updated,
            establishments_unchanged=result.unchanged,
            establishments_closed=result.closed,
            legal_units=result.legal_units,
            rows_rejected=result.rejected,
        )
    fields["errors"] = [
        {
            "file": names.get(problem.file, Path(problem.file).name),
            "line": problem.line,
            "column": problem.column,
            "message": problem.message,
            "value": problem.value,
        }
        for problem in problems[:ERRORS_KEPT]
    ]
    fields["errors_total"] = max(len(problems), result.rejected if result else 0)
    _running(register_import.pk).update(**fields)
    _discard_files(register_import)


def _discard_files(register_import: SireneImport) -> None:
    """Delete the stored files once the import is over (a national stock weighs gigabytes);
    their names stay on the row."""
    stored = [
        f.name for f in (register_import.establishments_file, register_import.legal_units_file) if f
    ]
    SireneImport.objects.filter(pk=register_import.pk).update(
        establishments_file="", legal_units_file=""
    )
    transaction.on_commit(lambda: [default_storage.delete(name) for name in stored])
