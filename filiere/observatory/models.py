"""The imports of the register started from the observatory's pages (its figures are kept in
the shared cache, ``selectors.sector_stats``)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filiere.observatory.enums import ImportPhase, ImportStatus

# A running import writes its heartbeat every HEARTBEAT_EVERY; one silent for HEARTBEAT_STALE
# lost its worker. A queued import no worker took within QUEUED_STALE lost its message (or
# no worker runs), as a scheduler run does in ten minutes.
HEARTBEAT_EVERY = timedelta(seconds=30)
HEARTBEAT_STALE = timedelta(minutes=2)
QUEUED_STALE = timedelta(minutes=10)
# The located errors kept on the row; the others are counted (errors_total).
ERRORS_KEPT = 100
# Where the uploaded stock files wait for their worker, in the default storage (never served).
IMPORT_FILES_PREFIX = "private/register-imports"


def _import_file_path(instance, filename: str) -> str:
    # One flat folder: a file of its own name, made unique, leaves no folder behind.
    return f"{IMPORT_FILES_PREFIX}/{uuid.uuid4().hex}-{filename}"


class SireneImportQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING))

    def stale(self, now):
        """Running with no heartbeat for HEARTBEAT_STALE, or queued untaken for QUEUED_STALE."""
        return self.filter(
            Q(status=ImportStatus.RUNNING, heartbeat__lt=now - HEARTBEAT_STALE)
            | Q(status=ImportStatus.QUEUED, created_at__lt=now - QUEUED_STALE)
        )


class SireneImport(models.Model):
    """An import of SIRENE stock files started from the observatory's page and run by a
    worker (``observatory.tasks.import_register``): its files, its progress, its outcome.

    The register's own log of what imports changed is ``directory.RegisterImport``, which
    the pipeline writes with the rows (the command's imports too).
    """

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lancé par"),
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    # The stored files are deleted once the import is over; their names stay.
    establishments_file = models.FileField(upload_to=_import_file_path, max_length=255)
    establishments_name = models.CharField(_("fichier des établissements"), max_length=255)
    legal_units_file = models.FileField(upload_to=_import_file_path, max_length=255, blank=True)
    legal_units_name = models.CharField(_("fichier des unités légales"), max_length=255, blank=True)
    territory = models.CharField(_("territoire"), max_length=200)
    territory_label = models.CharField(max_length=200)
    sector = models.CharField(_("filière"), max_length=60, blank=True)
    accept_rejected_rows = models.BooleanField(default=False)
    status = models.CharField(
        _("état"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    phase = models.CharField(max_length=20, choices=ImportPhase.choices, blank=True)
    rows_kept = models.PositiveBigIntegerField(default=0)
    establishments_created = models.PositiveIntegerField(default=0)
    establishments_updated = models.PositiveIntegerField(default=0)
    establishments_unchanged = models.PositiveIntegerField(default=0)
    establishments_closed = models.PositiveIntegerField(default=0)
    legal_units = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    # Located errors: {"file", "line", "column", "message", "value"}, the first ERRORS_KEPT.
    errors = models.JSONField(default=list, blank=True)
    errors_total = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=255, blank=True)

    objects = SireneImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("import SIRENE")
        verbose_name_plural = _("imports SIRENE")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="sirene_import_status"
            )
        ]

    def __str__(self) -> str:
        return f"{self.territory_label} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_queued(self) -> bool:
        return self.status == ImportStatus.QUEUED

    @property
    def is_running(self) -> bool:
        return self.status == ImportStatus.RUNNING

    @property
    def is_active(self) -> bool:
        """Queued or running: its page keeps following it."""
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def is_writing(self) -> bool:
        return self.is_running and self.phase == ImportPhase.WRITING

    @property
    def is_done(self) -> bool:
        return self.status == ImportStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == ImportStatus.FAILED

    @property
    def is_cancelled(self) -> bool:
        return self.status == ImportStatus.CANCELLED

    @property
    def changed_nothing(self) -> bool:
        return self.is_done and not (
            self.establishments_created or self.establishments_updated or self.legal_units
        )

    @property
    def errors_left_out(self) -> int:
        return max(0, self.errors_total - len(self.errors))
