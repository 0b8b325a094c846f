"""The observatory's figures kept per state of the register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatsSnapshot(models.Model):
    """Figures computed once for a territory × sector × date, valid for one state of the
    register (``directory_version``); recomputed on demand after an import."""

    key = models.CharField(max_length=255, unique=True)
    directory_version = models.CharField(max_length=32)
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("instantané de l'observatoire")
        verbose_name_plural = _("instantanés de l'observatoire")

    def __str__(self) -> str:
        return self.key
