"""The territory (régions, départements, EPCI, communes), the NAF nomenclature, and the
sector definitions (named, versioned sets of NAF codes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.territory.enums import CommuneKind, NafLevel


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("région")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta:
        verbose_name = _("département")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    code = models.CharField(_("SIREN"), max_length=9, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=10)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommuneQuerySet(models.QuerySet):
    def current(self):
        return self.filter(kind=CommuneKind.CURRENT)


class Boundary(models.Model):
    """The GeoJSON outline of a région or a département, kept apart from the territory rows
    so that ordinary queries never carry (nor compare) the geometry."""

    level = models.CharField(
        _("niveau"),
        max_length=12,
        choices=[("region", _("Région")), ("departement", _("Département"))],
    )
    code = models.CharField(_("code INSEE"), max_length=3)
    feature = models.JSONField(_("contour GeoJSON"))

    class Meta:
        verbose_name = _("contour")
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="boundary_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code}"


class Commune(models.Model):
    """A commune; a delegated or associated one may share its code with the current
    commune it merged into (the chef-lieu keeps the code), so a code alone is not unique."""

    code = models.CharField(_("code INSEE"), max_length=5, db_index=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=CommuneKind.choices)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes"
    )
    # A delegated or associated commune belongs to the current commune named here.
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="delegated"
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    postcodes = models.JSONField(_("codes postaux"), default=list, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code", "kind"], name="commune_unique_code_kind")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommuneCodeChange(models.Model):
    """A commune code (current or former, anywhere in France) and a 2026 code it became.

    A commune that was later split maps to several 2026 codes: one row each.
    """

    old_code = models.CharField(_("ancien code"), max_length=5, db_index=True)
    current_code = models.CharField(_("code 2026"), max_length=5, db_index=True)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("correspondance de code commune")
        constraints = [
            models.UniqueConstraint(
                fields=["old_code", "current_code"], name="commune_code_change_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_code} → {self.current_code}"


class NafCode(models.Model):
    """One node of NAF rev. 2, from the section (``J``) down to the sub-class (``62.01Z``)."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    level = models.PositiveSmallIntegerField(_("niveau"), choices=NafLevel.choices)
    label = models.CharField(_("libellé"), max_length=255)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("code NAF")
        verbose_name_plural = _("codes NAF")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


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
