"""Support needs of digital firms, routed by rules to the partner offices that take them."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.common.taking import Note
from filiere.directory.enums import SizeClass
from filiere.support.enums import EventKind, Subject, SupportStatus, TradeRegister


class RoutingRule(models.Model):
    """Subject × territory × firm profile → the office that takes such needs. Blank = any."""

    subject = models.CharField(_("sujet"), max_length=30, choices=Subject.choices)
    departement = models.CharField(_("département"), max_length=3, blank=True)
    size = models.CharField(_("taille"), max_length=10, choices=SizeClass.choices, blank=True)
    naf_prefix = models.CharField(
        _("code NAF (début)"),
        max_length=6,
        blank=True,
        validators=[
            RegexValidator(r"^\d{1,2}(\.\d{0,2}[A-Z]?)?$", _("Début de code NAF invalide."))
        ],
    )
    register = models.CharField(
        _("registre"), max_length=10, choices=TradeRegister.choices, blank=True
    )
    office = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("bureau"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("règle d'orientation")
        verbose_name_plural = _("règles d'orientation")
        ordering = ["subject", "departement", "office__name"]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} → {self.office}"


class SupportNeed(models.Model):
    legal_unit = models.ForeignKey(
        "directory.LegalUnit",
        on_delete=models.CASCADE,
        related_name="support_needs",
        verbose_name=_("entreprise"),
    )
    subject = models.CharField(_("sujet"), max_length=30, choices=Subject.choices)
    description = models.TextField(_("description"))
    register = models.CharField(
        _("registre"), max_length=10, choices=TradeRegister.choices, default=TradeRegister.TRADE
    )
    departement_code = models.CharField(_("département"), max_length=3)
    # The person of the firm the office gets in touch with (GDPR: only what reaches them).
    contact_name = models.CharField(_("personne à contacter"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"))
    status = models.CharField(
        _("état"), max_length=20, choices=SupportStatus.choices, default=SupportStatus.NEW
    )
    offices = models.ManyToManyField(
        "accounts.Organisation", related_name="support_needs", verbose_name=_("bureaux")
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_office = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pris en charge par"),
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The last escalation step reached (days without anyone taking it: 7, 14, 30).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    survey_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_comment = models.TextField(_("commentaire"), blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        verbose_name = _("besoin d'accompagnement")
        verbose_name_plural = _("besoins d'accompagnement")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.legal_unit} — {self.get_subject_display()}"


class SupportEvent(models.Model):
    """One line of a need's history: who did what, when."""

    need = models.ForeignKey(SupportNeed, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    office = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=SupportStatus.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.need} — {self.get_kind_display()}"


class SupportNote(Note):
    """A note on a support need (a qualification, why an office hands it back, how it was
    closed): added, never overwritten."""

    need = models.ForeignKey(SupportNeed, on_delete=models.CASCADE, related_name="notes")

    class Meta(Note.Meta):
        verbose_name = _("note")
