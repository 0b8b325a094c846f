"""A sector contract: its actors, axes, actions, indicators and budget.

Modelled for any region and any sector; the Normandy digital contract
2017–2019 is loaded from its contract file (``data/contracts/``, ``contract_import``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filiere.common.formats import format_euros, format_value
from filiere.common.history import records
from filiere.programme.enums import (
    ActionItemKind,
    ActorRole,
    Direction,
    MeasurementSource,
)
from filiere.territory.sectors import DEFAULT_SECTOR

EUROS = {"max_digits": 14, "decimal_places": 2}
# An action's code is in its addresses (``/actions/<code>/``): no slash, no space.
ACTION_CODE = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z._-]*$",
    _("Lettres, chiffres, points et tirets, par exemple « 1.2 »."),
)
POSITIVE = [MinValueValidator(Decimal("0"))]


class ContractQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Strategy(models.Model):
    """The Region's wider strategy a contract belongs to (e.g. digital transformation)."""

    region = models.ForeignKey("territory.Region", on_delete=models.PROTECT)
    title = models.CharField(_("intitulé"), max_length=255)
    annual_budget_eur = models.DecimalField(
        _("budget annuel (€)"), null=True, blank=True, validators=POSITIVE, **EUROS
    )
    description = models.TextField(_("description"), blank=True)

    history = records()

    class Meta:
        verbose_name = _("stratégie régionale")
        verbose_name_plural = _("stratégies régionales")

    def __str__(self) -> str:
        return self.title


class Pillar(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="pillars")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=255)

    history = records()

    class Meta:
        verbose_name = _("pilier")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="pillar_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PillarCommitment(models.Model):
    """One quantified or stated commitment of a pillar (an amount, a date, an instrument)."""

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="commitments")
    position = models.PositiveSmallIntegerField(_("ordre"))
    label = models.CharField(_("engagement"), max_length=255)
    amount_eur = models.DecimalField(
        _("montant (€)"), null=True, blank=True, validators=POSITIVE, **EUROS
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)

    history = records()

    class Meta:
        verbose_name = _("engagement de la stratégie")
        verbose_name_plural = _("engagements de la stratégie")
        ordering = ["pillar", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["pillar", "position"], name="pillar_commitment_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Contract(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("intitulé"), max_length=255)
    sector = models.CharField(_("filière"), max_length=100)
    # The observatory's sector definition whose establishments and jobs the contract's
    # register indicators count (``observatory.sector_*`` sources).
    observed_sector = models.SlugField(
        _("filière observée"),
        max_length=60,
        default=DEFAULT_SECTOR,
        help_text=_(
            "La définition de filière (codes NAF) dont les indicateurs calculés du contrat "
            "comptent les établissements et les emplois dans sa région."
        ),
    )
    region = models.ForeignKey(
        "territory.Region", on_delete=models.PROTECT, verbose_name=_("région")
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="owned_contracts",
        verbose_name=_("pilote"),
        help_text=_("L'organisation dont les chargés de mission pilotent le contrat."),
    )
    strategy = models.ForeignKey(
        Strategy, on_delete=models.SET_NULL, null=True, blank=True, related_name="contracts"
    )
    aim = models.TextField(_("ambition"), blank=True)
    signed_on = models.DateField(_("date de signature"), null=True, blank=True)
    signing_place = models.CharField(_("lieu de signature"), max_length=255, blank=True)
    signing_commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("commune de signature"),
    )
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    budget_eur = models.DecimalField(_("budget régional (€)"), validators=POSITIVE, **EUROS)
    source = models.TextField(_("source des faits"), blank=True)
    is_published = models.BooleanField(_("publié"), default=False)

    objects = ContractQuerySet.as_manager()

    history = records()

    class Meta:
        verbose_name = _("contrat de filière")
        verbose_name_plural = _("contrats de filière")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="contract_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.start_date.year, self.end_date.year + 1))


class ContractActor(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="actors")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    role = models.CharField(_("rôle"), max_length=20, choices=ActorRole.choices)
    description = models.CharField(_("précision"), max_length=255, blank=True)

    history = records()

    class Meta:
        verbose_name = _("acteur du contrat")
        verbose_name_plural = _("acteurs du contrat")
        ordering = ["contract", "organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation", "role"], name="contract_actor_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_role_display()}"


class Axis(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="axes")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=255)
    summary = models.TextField(_("résumé"), blank=True)

    history = records()

    class Meta:
        verbose_name = _("axe")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="axis_unique_number")
        ]

    def __str__(self) -> str:
        return _("Axe %(number)s — %(title)s") % {"number": self.number, "title": self.title}


class ActionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Action(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(
        _("code"), max_length=10, validators=[ACTION_CODE], help_text=_("Par exemple « 1.2 ».")
    )
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    coordinator = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="coordinated_actions",
        verbose_name=_("coordinateur"),
        null=True,
        blank=True,
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", through="ActionPartner", related_name="partner_actions"
    )
    is_published = models.BooleanField(_("publiée"), default=True)

    objects = ActionQuerySet.as_manager()

    history = records()

    class Meta:
        verbose_name = _("action")
        ordering = ["axis__number", "code"]
        constraints = [models.UniqueConstraint(fields=["axis", "code"], name="action_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ActionPartner(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    role = models.CharField(_("rôle"), max_length=255, blank=True)

    history = records()

    class Meta:
        verbose_name = _("partenaire de l'action")
        verbose_name_plural = _("partenaires de l'action")
        constraints = [
            models.UniqueConstraint(fields=["action", "organisation"], name="action_partner_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role})" if self.role else str(self.organisation)


class ActionItem(models.Model):
    """Something an action names: a residence, a trade show, a mission, a target market…"""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("type"), max_length=20, choices=ActionItemKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    commune = models.ForeignKey(
        "territory.Commune", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("élément de l'action")
        verbose_name_plural = _("éléments de l'action")
        ordering = ["action", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "name"], name="action_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.place})" if self.place else self.name


class IndicatorQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Indicator(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unité"), max_length=60)
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    pillar = models.ForeignKey(
        Pillar, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    direction = models.CharField(
        _("sens"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("valeur de référence"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("date de référence"), null=True, blank=True)
    target_value = models.DecimalField(
        _("cible"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    # A target stated relative to the baseline ("double the members"): target = baseline × factor.
    target_factor = models.DecimalField(
        _("cible en multiple de la référence"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    deadline = models.DateField(_("échéance"), null=True, blank=True)
    computed_source = models.CharField(
        _("source calculée"),
        max_length=80,
        blank=True,
        help_text=_("Nom d'une source de calcul enregistrée ; vide pour une saisie manuelle."),
    )
    is_published = models.BooleanField(_("publié"), default=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    objects = IndicatorQuerySet.as_manager()

    history = records()

    class Meta:
        verbose_name = _("indicateur")
        ordering = ["contract", "code"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_factor__isnull=True),
                name="indicator_one_kind_of_target",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_date__isnull=False),
                name="indicator_baseline_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_target(self) -> Decimal | None:
        if self.target_value is not None:
            return self.target_value
        if self.target_factor is not None and self.baseline_value is not None:
            return self.baseline_value * self.target_factor
        return None


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date de la mesure"))
    value = models.DecimalField(_("valeur"), max_digits=18, decimal_places=4)
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    source = models.CharField(
        _("origine"),
        max_length=10,
        choices=MeasurementSource.choices,
        default=MeasurementSource.MANUAL,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    history = records()

    class Meta:
        verbose_name = _("mesure")
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="measurement_one_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} : {format_value(self.value)} au {format_value(self.measured_on)}"


class BudgetAllocation(models.Model):
    """The share of the contract's budget set aside for one action in one year."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="allocations")
    year = models.PositiveSmallIntegerField(_("année"))
    amount_eur = models.DecimalField(_("montant (€)"), validators=POSITIVE, **EUROS)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    history = records()

    class Meta:
        verbose_name = _("enveloppe budgétaire")
        verbose_name_plural = _("enveloppes budgétaires")
        ordering = ["action", "year"]
        constraints = [
            models.UniqueConstraint(fields=["action", "year"], name="allocation_unique_year"),
            models.CheckConstraint(condition=Q(amount_eur__gte=0), name="allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} {self.year} : {format_euros(self.amount_eur)}"


class BudgetCommitmentQuerySet(models.QuerySet):
    def counted(self):
        """The commitments every figure counts: those not cancelled."""
        return self.filter(is_cancelled=False)


class BudgetCommitment(models.Model):
    """Money the Region commits to a beneficiary under an action's allocation of a year.
    A cancelled one keeps its row and its history, and no figure counts it."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("année budgétaire"))
    beneficiary = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, verbose_name=_("bénéficiaire")
    )
    label = models.CharField(_("objet"), max_length=255)
    amount_eur = models.DecimalField(_("montant (€)"), **EUROS)
    committed_on = models.DateField(_("date d'engagement"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    is_cancelled = models.BooleanField(_("annulé"), default=False)
    history = records()

    objects = BudgetCommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement budgétaire")
        verbose_name_plural = _("engagements budgétaires")
        ordering = ["committed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_eur__gt=0), name="commitment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({format_euros(self.amount_eur)})"


class PaymentQuerySet(models.QuerySet):
    def counted(self):
        """The payments every figure counts: neither they nor their commitment cancelled."""
        return self.filter(is_cancelled=False, commitment__is_cancelled=False)


class Payment(models.Model):
    """A payment of a commitment; a cancelled one keeps its row, and no figure counts it."""

    commitment = models.ForeignKey(
        BudgetCommitment, on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("date de paiement"))
    amount_eur = models.DecimalField(_("montant (€)"), **EUROS)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    is_cancelled = models.BooleanField(_("annulé"), default=False)
    history = records()

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("paiement")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_eur__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{format_euros(self.amount_eur)} le {format_value(self.paid_on)}"


class FiguresVersion(models.Model):
    """A token renewed, in the writer's transaction, by every change of the data the contract
    figures are computed from (``programme.figures``): the figures kept in the shared cache
    are keyed by it. Random, as ``directory.DirectoryVersion``, so that two databases never
    share one."""

    version = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = _("version des chiffres des contrats")
        verbose_name_plural = _("versions des chiffres des contrats")

    def __str__(self) -> str:
        return self.version
