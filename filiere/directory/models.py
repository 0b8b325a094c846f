"""The sector's directory: legal units and establishments from SIRENE, and what members add."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.common.validators import validate_siren, validate_siret
from filiere.directory.enums import (
    OPEN_LABEL_STATUSES,
    EstablishmentStatus,
    LabelKind,
    LabelRequestStatus,
    LegalUnitStatus,
    Route,
)


class Tag(models.Model):
    """A skill or offer keyword members put on their profile (« cybersécurité », « ERP »…)."""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    label = models.CharField(_("libellé"), max_length=80)

    class Meta:
        verbose_name = _("compétence")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Label(models.Model):
    """A label a firm may show (a cluster's membership, a residence, French Tech), once the
    body that grants it has granted it."""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=LabelKind.choices)
    # Null only for labels made before labels were granted, until the scenario names their
    # body: meanwhile only administrators decide them.
    granted_by = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="granted_labels",
        verbose_name=_("accordé par"),
        help_text=_("L'organisation dont les coordinateur·rices accordent ce label."),
    )

    class Meta:
        verbose_name = _("label")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LegalUnit(models.Model):
    siren = models.CharField(_("SIREN"), max_length=9, unique=True, validators=[validate_siren])
    name = models.CharField(_("dénomination"), max_length=255)
    acronym = models.CharField(_("sigle"), max_length=60, blank=True)
    created_on = models.DateField(_("date de création"), null=True, blank=True)
    headcount_band = models.CharField(_("tranche d'effectifs"), max_length=2, default="NN")
    company_category = models.CharField(_("catégorie d'entreprise"), max_length=10, blank=True)
    legal_category = models.CharField(_("catégorie juridique"), max_length=10, blank=True)
    naf = models.CharField(_("activité principale (NAF)"), max_length=6, blank=True)
    status = models.CharField(
        _("état administratif"), max_length=1, choices=LegalUnitStatus.choices, blank=True
    )
    is_ess = models.BooleanField(_("économie sociale et solidaire"), default=False)
    # What the platform adds to the register.
    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legal_unit",
    )
    description = models.TextField(_("présentation"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    # The firm's own public address: what the platform sends the firm goes there while it has
    # no member (``directory.recipients``), with a link to claim its page.
    contact_email = models.EmailField(
        _("adresse de contact"),
        blank=True,
        help_text=_(
            "L'adresse générique de l'entreprise (contact@…), affichée sur sa page de "
            "l'annuaire. Quand aucun membre de l'entreprise n'a de compte, les messages qui lui "
            "sont adressés y sont envoyés."
        ),
    )
    tags = models.ManyToManyField(Tag, blank=True, verbose_name=_("compétences"))
    # The labels granted to the firm: written only by the label services (directory.services.
    # labels), which keep each grant's request, decision and withdrawal in LabelRequest.
    labels = models.ManyToManyField(Label, blank=True, verbose_name=_("labels accordés"))
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unité légale")
        verbose_name_plural = _("unités légales")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _user(related_name: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )


class LabelRequest(models.Model):
    """A firm's request for a label and what the granting body made of it: who asked, who
    granted or refused it, who withdrew it once granted, when and why.

    A refused or withdrawn label may be requested again: that is a new request, and the
    old one stays as the history of the firm and the label.
    """

    legal_unit = models.ForeignKey(
        LegalUnit,
        on_delete=models.CASCADE,
        related_name="label_requests",
        verbose_name=_("entreprise"),
    )
    label = models.ForeignKey(
        Label, on_delete=models.PROTECT, related_name="requests", verbose_name=_("label")
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=LabelRequestStatus.choices,
        default=LabelRequestStatus.PENDING,
    )
    note = models.TextField(_("message de l'entreprise"), blank=True)
    requested_by = _user("label_requests_made")
    requested_at = models.DateTimeField(_("demandé le"))
    decided_by = _user("label_requests_decided")
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    reason = models.TextField(_("motif de la décision"), blank=True)
    withdrawn_by = _user("label_requests_withdrawn")
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("motif du retrait"), blank=True)
    # Who received the mail of the latest decision or withdrawal (``directory.recipients``):
    # the granting body reads it beside the decision.
    firm_told = models.CharField(
        _("entreprise prévenue"), max_length=20, choices=Route.choices, blank=True
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        verbose_name = _("demande de label")
        verbose_name_plural = _("demandes de label")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["legal_unit", "label"],
                condition=Q(status__in=OPEN_LABEL_STATUSES),
                name="label_request_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.legal_unit} — {self.label}"

    @property
    def is_pending(self) -> bool:
        return self.status == LabelRequestStatus.PENDING

    @property
    def is_granted(self) -> bool:
        return self.status == LabelRequestStatus.GRANTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == LabelRequestStatus.WITHDRAWN


class EstablishmentQuerySet(models.QuerySet):
    def active_on(self, day):
        """Created on or before the day and not closed by then."""
        return self.filter(
            Q(created_on__lte=day) | Q(created_on__isnull=True),
            Q(closed_on__isnull=True) | Q(closed_on__gt=day),
        )


class Establishment(models.Model):
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    siren = models.CharField(_("SIREN"), max_length=9, db_index=True)
    legal_unit = models.ForeignKey(
        LegalUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="establishments",
    )
    name = models.CharField(_("nom"), max_length=255, blank=True)
    naf = models.CharField(_("activité principale (NAF)"), max_length=6)
    headcount_band = models.CharField(_("tranche d'effectifs"), max_length=2, default="NN")
    is_head_office = models.BooleanField(_("siège"), default=False)
    is_employer = models.BooleanField(_("employeur"), default=False)
    created_on = models.DateField(_("date de création"), null=True, blank=True)
    status = models.CharField(
        _("état administratif"), max_length=1, choices=EstablishmentStatus.choices
    )
    status_since = models.DateField(_("état depuis"), null=True, blank=True)
    # The start of the closed period when the establishment is closed.
    closed_on = models.DateField(_("date de fermeture"), null=True, blank=True)
    commune_code = models.CharField(_("code commune (registre)"), max_length=5, blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="establishments",
    )
    departement_code = models.CharField(_("département"), max_length=3, blank=True, db_index=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    street = models.CharField(_("adresse"), max_length=255, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("établissement")
        ordering = ["name", "siret"]
        indexes = [
            # The observatory's and the directory's filters start with the activity; a
            # few indexes only, as each one slows the bulk import of the register.
            models.Index(fields=["naf", "departement_code"], name="establishment_naf_dep"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_closed(self) -> bool:
        return self.status == EstablishmentStatus.CLOSED

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.legal_unit_id:
            return self.legal_unit.name
        return self.siret


class Contact(models.Model):
    """A person to reach at a firm. GDPR: only what is needed to get in touch, with consent."""

    legal_unit = models.ForeignKey(LegalUnit, on_delete=models.CASCADE, related_name="contacts")
    full_name = models.CharField(_("nom et prénom"), max_length=120)
    role = models.CharField(_("fonction"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    consent_on = models.DateField(
        _("consentement recueilli le"),
        help_text=_("Date à laquelle la personne a accepté de figurer dans l'annuaire."),
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="directory_contacts",
        help_text=_("Le compte de la personne, si elle en a un."),
    )

    class Meta:
        verbose_name = _("contact")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class RegisterImport(models.Model):
    """One run of ``import_sirene``: what was read, kept and rejected."""

    started_at = models.DateTimeField(auto_now_add=True)
    files = models.JSONField(_("fichiers"), default=list)
    territory = models.CharField(_("territoire"), max_length=200)
    sector = models.CharField(_("filière"), max_length=80, blank=True)
    establishments_created = models.PositiveIntegerField(default=0)
    establishments_updated = models.PositiveIntegerField(default=0)
    establishments_closed = models.PositiveIntegerField(default=0)
    legal_units = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("rapport"), default=list)
    is_demo = models.BooleanField(_("données de démonstration"), default=False)

    class Meta:
        verbose_name = _("import du registre")
        verbose_name_plural = _("imports du registre")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.territory} — {self.started_at:%Y-%m-%d %H:%M}"


class DirectoryVersion(models.Model):
    """A token renewed by every change that the search index and the kept figures must see.

    A random token rather than a counter: two databases (or two test transactions)
    never share one, so a process never mistakes another state for its own.
    """

    version = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = _("version de l'annuaire")

    def __str__(self) -> str:
        return str(self.version)


class FirmTextsChange(models.Model):
    """What is searched of a firm changed (its profile, its offer): searches read its texts
    again on top of the latest index build, until a build that started after the change."""

    legal_unit = models.ForeignKey(LegalUnit, on_delete=models.CASCADE, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("changement des textes d'une entreprise")

    def __str__(self) -> str:
        return f"{self.legal_unit_id} — {self.changed_at:%Y-%m-%d %H:%M}"
