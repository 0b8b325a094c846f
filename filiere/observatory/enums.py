from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échoué")
    CANCELLED = "cancelled", _("Annulé")


class ImportPhase(models.TextChoices):
    """Where a running import stands: it may be cancelled while it reads, not once it writes
    (the write is one transaction, short beside the read)."""

    READING = "reading", _("Lecture des fichiers")
    WRITING = "writing", _("Écriture dans l'annuaire")
