"""Sector definitions: named, versioned sets of NAF codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SectorDefinition(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    source = models.TextField(_("source de la définition"), blank=True)
    is_current = models.BooleanField(
        _("version en vigueur"),
        default=True,
        help_text=_("La version utilisée quand on désigne la filière par son identifiant."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("définition de filière")
        verbose_name_plural = _("définitions de filière")
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="sector_unique_version"),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(is_current=True),
                name="sector_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def naf_codes(self) -> list[str]:
        return [code.naf_code for code in self.codes.all()]


class SectorNafCode(models.Model):
    definition = models.ForeignKey(SectorDefinition, on_delete=models.CASCADE, related_name="codes")
    naf_code = models.CharField(_("code NAF"), max_length=6)
    comment = models.CharField(_("commentaire"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("code NAF de la filière")
        verbose_name_plural = _("codes NAF de la filière")
        ordering = ["naf_code"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "naf_code"], name="sector_naf_unique")
        ]

    def __str__(self) -> str:
        return self.naf_code


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
