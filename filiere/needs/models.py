"""Digitalisation needs of businesses, the offers of digital firms, and the matches between them."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.common.taking import Note
from filiere.common.validators import validate_siret
from filiere.directory.enums import Route
from filiere.needs.enums import BudgetBand, Domain, MatchStatus, NeedStatus, Outcome

# A campaign tag: what a partner's site or event a need came through (``salon-2018``).
CAMPAIGN_MAX_LENGTH = 50
validate_campaign = RegexValidator(
    r"^[a-z0-9]+(-[a-z0-9]+)*\Z",
    _("Une campagne s'écrit en minuscules, chiffres et tirets, par exemple « salon-2018 »."),
)


class ProviderOffer(models.Model):
    """What a digital firm of the directory offers, in its own words."""

    legal_unit = models.OneToOneField(
        "directory.LegalUnit", on_delete=models.CASCADE, related_name="offer"
    )
    summary = models.TextField(_("présentation de l'offre"))
    domains = models.JSONField(_("domaines"), default=list)
    departements_served = models.JSONField(_("départements servis"), default=list, blank=True)
    is_published = models.BooleanField(_("publiée"), default=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("offre de prestataire")
        verbose_name_plural = _("offres de prestataires")

    def __str__(self) -> str:
        return str(self.legal_unit)


class OfferReference(models.Model):
    """A past project that shows what the provider does."""

    offer = models.ForeignKey(ProviderOffer, on_delete=models.CASCADE, related_name="references")
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    client = models.CharField(_("client"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)

    class Meta:
        verbose_name = _("référence")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class Need(models.Model):
    """A business's digitalisation need. Its private page is reached with ``token``."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = models.TextField(_("votre besoin"))
    domain = models.CharField(_("domaine"), max_length=20, choices=Domain.choices)
    budget = models.CharField(
        _("budget"), max_length=20, choices=BudgetBand.choices, default=BudgetBand.UNKNOWN
    )
    deadline = models.DateField(_("échéance souhaitée"), null=True, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.PROTECT, verbose_name=_("commune")
    )
    departement_code = models.CharField(_("département"), max_length=3, db_index=True)
    company_name = models.CharField(_("entreprise ou projet"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    is_creator = models.BooleanField(_("entreprise en création"), default=False)
    contact_name = models.CharField(_("nom et prénom"), max_length=120)
    contact_email = models.EmailField(_("e-mail"))
    contact_phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    status = models.CharField(
        _("état"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.UNCONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    qualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qualified_needs",
    )
    redirected_to = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("réorienté vers"),
    )
    # The adviser who took it in charge, for one of the offices it goes to (common.taking).
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
    # The campaign of the partner's site or key it came through; the indicators break down by it.
    campaign = models.CharField(
        _("campagne"),
        max_length=CAMPAIGN_MAX_LENGTH,
        blank=True,
        db_index=True,
        validators=[validate_campaign],
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        verbose_name = _("besoin")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "departement_code"])]

    def __str__(self) -> str:
        return f"{self.company_name} — {self.get_domain_display()}"

    @property
    def is_unconfirmed(self) -> bool:
        """Its address is not confirmed yet: nobody sees it but its poster."""
        return self.status == NeedStatus.UNCONFIRMED

    @property
    def received_at(self):
        """When the advisers received it: once its address was confirmed."""
        return self.confirmed_at or self.created_at


class NeedNote(Note):
    """A note on a digitalisation need (a qualification, why it was redirected, how it was
    closed): added, never overwritten."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="notes")

    class Meta(Note.Meta):
        verbose_name = _("note")


class Match(models.Model):
    """A provider suggested for a need, and what came of it."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches")
    legal_unit = models.ForeignKey(
        "directory.LegalUnit", on_delete=models.CASCADE, related_name="matches"
    )
    rank = models.PositiveSmallIntegerField(_("rang"))
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("explication"), default=dict)
    status = models.CharField(
        _("état"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    # Who received the contact request (the firm's members, its contact address, the advisers
    # of its territory…): the business reads it on its need's page.
    delivered_to = models.CharField(
        _("transmis à"), max_length=20, choices=Route.choices, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    business_outcome = models.CharField(
        _("suite selon l'entreprise"), max_length=20, choices=Outcome.choices, blank=True
    )
    provider_outcome = models.CharField(
        _("suite selon le prestataire"), max_length=20, choices=Outcome.choices, blank=True
    )
    contract_amount_eur = models.DecimalField(
        _("montant du contrat (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mise en relation")
        verbose_name_plural = _("mises en relation")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["need", "legal_unit"], name="match_unique_provider")
        ]

    def __str__(self) -> str:
        return f"{self.need} → {self.legal_unit}"

    @property
    def is_suggestion(self) -> bool:
        """Suggested by the platform, no contact asked for yet."""
        return self.status == MatchStatus.SUGGESTED

    @property
    def contract_signed(self) -> bool:
        return Outcome.CONTRACT_SIGNED in (self.business_outcome, self.provider_outcome)


class InvitationList(models.Model):
    """The firms an adviser invites to a matchmaking meeting."""

    name = models.CharField(_("nom"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, verbose_name=_("organisateur")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    firms = models.ManyToManyField(
        "directory.LegalUnit", through="InvitationEntry", related_name="invitation_lists"
    )

    class Meta:
        verbose_name = _("liste d'invitation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class InvitationEntry(models.Model):
    invitation_list = models.ForeignKey(
        InvitationList, on_delete=models.CASCADE, related_name="entries"
    )
    legal_unit = models.ForeignKey("directory.LegalUnit", on_delete=models.CASCADE)
    need = models.ForeignKey(Need, on_delete=models.SET_NULL, null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitation_list", "legal_unit"], name="invitation_unique_firm"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitation_list} — {self.legal_unit}"
