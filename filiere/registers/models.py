"""The cluster's residences and the regional strategy's registers (datalab, third places,
training paths), each feeding a contract indicator."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.common.history import records
from filiere.common.validators import validate_siret_or_rna
from filiere.projects.enums import Market
from filiere.registers.enums import (
    DatalabStatus,
    DatasetRole,
    HostingOutcome,
    ThirdPlaceStatus,
    TrainingFormat,
)


class Residence(models.Model):
    name = models.CharField(_("nom"), max_length=120, unique=True)
    theme = models.CharField(_("thème"), max_length=20, choices=Market.choices)
    operator = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, verbose_name=_("opérateur")
    )
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, null=True, blank=True
    )
    city = models.CharField(_("ville"), max_length=100)
    departement_code = models.CharField(_("département"), max_length=3)
    capacity = models.PositiveSmallIntegerField(_("capacité (entreprises)"))
    description = models.TextField(_("présentation"), blank=True)

    class Meta:
        verbose_name = _("résidence")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class Cohort(models.Model):
    residence = models.ForeignKey(Residence, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("promotion"), max_length=80)
    starts_on = models.DateField(_("début"))

    class Meta:
        verbose_name = _("promotion")
        ordering = ["residence", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["residence", "name"], name="cohort_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.residence.name} — {self.name}"


class Hosting(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="hostings")
    legal_unit = models.ForeignKey(
        "directory.LegalUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hostings",
        verbose_name=_("entreprise de l'annuaire"),
    )
    firm_name = models.CharField(_("entreprise"), max_length=255)
    entered_on = models.DateField(_("entrée"))
    left_on = models.DateField(_("sortie"), null=True, blank=True)
    outcome = models.CharField(
        _("devenir"), max_length=20, choices=HostingOutcome.choices, default=HostingOutcome.HOSTED
    )
    outcome_note = models.CharField(_("précisions"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    history = records()

    class Meta:
        verbose_name = _("entreprise hébergée")
        verbose_name_plural = _("entreprises hébergées")
        ordering = ["-entered_on", "firm_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("entered_on")),
                name="hosting_leaves_after_entry",
            )
        ]

    def __str__(self) -> str:
        return self.firm_name


class DatalabProject(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"))
    region = models.ForeignKey("territory.Region", on_delete=models.PROTECT)
    status = models.CharField(_("état"), max_length=20, choices=DatalabStatus.choices)
    started_on = models.DateField(_("lancement"))
    partners = models.ManyToManyField(
        "directory.LegalUnit",
        blank=True,
        related_name="datalab_projects",
        verbose_name=_("partenaires"),
    )
    other_partners = models.CharField(
        _("autres partenaires (hors annuaire)"), max_length=500, blank=True
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    history = records()

    class Meta:
        verbose_name = _("projet du datalab")
        verbose_name_plural = _("projets du datalab")
        ordering = ["-started_on", "title"]

    def __str__(self) -> str:
        return self.title


class Dataset(models.Model):
    project = models.ForeignKey(DatalabProject, on_delete=models.CASCADE, related_name="datasets")
    name = models.CharField(_("jeu de données"), max_length=200)
    role = models.CharField(_("usage"), max_length=20, choices=DatasetRole.choices)
    url = models.URLField(_("lien"), blank=True)
    licence = models.CharField(_("licence"), max_length=80, blank=True)
    history = records()

    class Meta:
        verbose_name = _("jeu de données")
        verbose_name_plural = _("jeux de données")
        ordering = ["project", "role", "name"]

    def __str__(self) -> str:
        return self.name


class ThirdPlace(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("commune"), max_length=100)
    departement_code = models.CharField(_("département"), max_length=3, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    services = models.TextField(_("services"), blank=True)
    website = models.URLField(_("site web"), blank=True, max_length=300)
    # The place's SIRET (or its association's RNA number), the national standard's pivot.
    pivot = models.CharField(
        _("SIRET ou RNA"), max_length=14, blank=True, validators=[validate_siret_or_rna]
    )
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=ThirdPlaceStatus.choices,
        default=ThirdPlaceStatus.REFERENCED,
    )
    applied_on = models.DateField(_("candidature le"), null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("décision le"), null=True, blank=True)
    decision_note = models.TextField(_("motifs de la décision"), blank=True)
    # Where a referenced site comes from, cited on its page and in exports.
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    # The labelling decisions of the demo are generated; the sites are real.
    is_demo = models.BooleanField(_("décision de démonstration"), default=False)
    history = records()

    class Meta:
        verbose_name = _("tiers-lieu")
        verbose_name_plural = _("tiers-lieux")
        ordering = ["city", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="third_place_unique_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"


class TrainingPath(models.Model):
    title = models.CharField(_("intitulé"), max_length=200)
    region = models.ForeignKey("territory.Region", on_delete=models.PROTECT)
    provider = models.ForeignKey(
        "directory.LegalUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_paths",
        verbose_name=_("organisme de l'annuaire"),
    )
    provider_name = models.CharField(_("organisme de formation"), max_length=255)
    format = models.CharField(_("modalité"), max_length=20, choices=TrainingFormat.choices)
    hours = models.PositiveSmallIntegerField(_("durée (heures)"), validators=[MinValueValidator(1)])
    created_on = models.DateField(_("créé le"))
    url = models.URLField(_("lien"), blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    history = records()

    class Meta:
        verbose_name = _("parcours de formation")
        verbose_name_plural = _("parcours de formation")
        ordering = ["-created_on", "title"]

    def __str__(self) -> str:
        return self.title
