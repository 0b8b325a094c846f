"""Innovation projects (consortium, reviews, decisions, funding, follow-up) and aid schemes."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.common.formats import format_euros
from filiere.common.history import records
from filiere.projects.enums import (
    FOLLOWED_UP_STATES,
    LABELLED_STATES,
    AidForm,
    AidImportStatus,
    AidImportTrigger,
    AidLevel,
    AidSource,
    Market,
    Opinion,
    PartnerKind,
    ProjectState,
)

# A few lines: the showcase shows it on a card.
SHOWCASE_SUMMARY_MAX_LENGTH = 600


class ProjectQuerySet(models.QuerySet):
    def on_showcase(self):
        """The projects the sector's showcase shows: published by their lead, and labelled (a
        project that loses its label leaves the showcase, its lead's consent kept)."""
        return self.filter(showcase_published=True, state__in=LABELLED_STATES)


class Project(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    acronym = models.CharField(_("acronyme"), max_length=40, blank=True)
    summary = models.TextField(_("résumé"))
    market = models.CharField(_("marché"), max_length=20, choices=Market.choices)
    trl = models.PositiveSmallIntegerField(
        _("maturité (TRL)"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("Niveau de maturité technologique, de 1 (principe) à 9 (produit éprouvé)."),
    )
    lead = models.ForeignKey(
        "directory.LegalUnit",
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("porteur"),
    )
    cluster = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="cluster_projects",
        verbose_name=_("pôle qui instruit"),
    )
    skills_wanted = models.ManyToManyField(
        "directory.Tag", blank=True, verbose_name=_("compétences recherchées")
    )
    state = models.CharField(
        _("état"), max_length=20, choices=ProjectState.choices, default=ProjectState.DRAFT
    )
    starts_on = models.DateField(_("début prévu"), null=True, blank=True)
    ends_on = models.DateField(_("fin prévue"), null=True, blank=True)
    # The labelling decision.
    decided_on = models.DateField(_("date de la décision"), null=True, blank=True)
    # The cluster may tell the lead who its experts were, once the decision is made.
    reviewers_disclosed = models.BooleanField(_("experts nommés au porteur"), default=False)
    committee = models.CharField(_("comité"), max_length=200, blank=True)
    decision_reasons = models.TextField(_("motifs de la décision"), blank=True)
    results = models.TextField(_("résultats"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Where a demo project comes from (the i-Lab winners' file), to cite it.
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    # The lead's consent to show the project on the sector's public showcase, with what it
    # shows in place of the confidential summary (services.showcase).
    showcase_published = models.BooleanField(_("publié dans la vitrine"), default=False)
    showcase_summary = models.TextField(
        _("résumé public"),
        max_length=SHOWCASE_SUMMARY_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Ce que la vitrine publique montre du projet, à la place du résumé confidentiel."
        ),
    )
    showcase_published_at = models.DateTimeField(
        _("publié dans la vitrine le"), null=True, blank=True
    )
    # The lead's edits, the cluster's corrections of its decision and the lead's choices about
    # the showcase; the state's moves are the transitions' history.
    history = records(excluded_fields=["state", "created_at", "updated_at"])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet d'innovation")
        verbose_name_plural = _("projets d'innovation")
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trl__gte=1, trl__lte=9), name="project_trl_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_labelled(self) -> bool:
        """Labelled by its cluster, and still: what a project needs to be on the showcase."""
        return self.state in LABELLED_STATES

    @property
    def is_on_showcase(self) -> bool:
        return self.showcase_published and self.is_labelled

    @property
    def is_followed_up(self) -> bool:
        """Funded, under way or closed: the project has a technical follow-up to show."""
        return self.state in FOLLOWED_UP_STATES


class Partner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    legal_unit = models.ForeignKey(
        "directory.LegalUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_partnerships",
        verbose_name=_("entreprise ou organisme de l'annuaire"),
    )
    name = models.CharField(_("nom"), max_length=255)
    kind = models.CharField(_("type"), max_length=20, choices=PartnerKind.choices)
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    is_lead = models.BooleanField(_("porteur"), default=False)
    # The consortium's changes (joined, left, role and budget edited) on the project's page.
    history = records()

    class Meta:
        verbose_name = _("partenaire")
        ordering = ["-is_lead", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "legal_unit"],
                condition=models.Q(legal_unit__isnull=False),
                name="partner_unique_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Transition(models.Model):
    """One move of a project's workflow: who, when, why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=ProjectState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ProjectState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("transition")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_state} → {self.to_state}"


class Review(models.Model):
    """A named reviewer's conflict-of-interest declaration, then opinion."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviews")
    # NULL once the expert erased their account: a given opinion or a declared conflict stays
    # in the project's file (projects.personal_data).
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="project_reviews",
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    # None until the reviewer declares; True blocks the review.
    has_conflict = models.BooleanField(_("conflit d'intérêts"), null=True)
    conflict_statement = models.TextField(_("déclaration"), blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    opinion = models.CharField(_("avis"), max_length=20, choices=Opinion.choices, blank=True)
    comments = models.TextField(_("commentaires"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The expert's corrections of their opinion, each with its reason.
    history = records()

    class Meta:
        verbose_name = _("expertise")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "reviewer"], name="review_unique_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.reviewer}"


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="projects/%Y/%m/")
    name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        ordering = ["-uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return PurePath(self.name).suffix.lower().lstrip(".")


class FundingQuerySet(models.QuerySet):
    def kept(self):
        """The fundings that count: those not cancelled."""
        return self.filter(cancelled=False)


class Funding(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    scheme = models.ForeignKey(
        "AidScheme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fundings",
        verbose_name=_("dispositif"),
    )
    funder = models.CharField(_("financeur"), max_length=200)
    amount = models.DecimalField(
        _("montant (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    granted_on = models.DateField(_("date d'octroi"))
    # Recorded by mistake: kept, with the reason in its history, and counted nowhere.
    cancelled = models.BooleanField(_("annulé"), default=False)
    # The cluster's corrections and cancellations, each with its reason.
    history = records()

    objects = FundingQuerySet.as_manager()

    class Meta:
        verbose_name = _("financement")
        ordering = ["granted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.funder} : {format_euros(self.amount)}"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("jalon"), max_length=200)
    due_on = models.DateField(_("échéance"))
    done_on = models.DateField(_("atteint le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jalon")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class FollowUpReport(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_on = models.DateField(_("date"))
    text = models.TextField(_("compte rendu de suivi technique"))

    class Meta:
        verbose_name = _("compte rendu de suivi")
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} — {self.written_on}"


class AidScheme(models.Model):
    """An aid scheme of the funding catalogue, in the terms of the official schema."""

    uid = models.UUIDField(_("identifiant"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("titre"), max_length=200)
    promise = models.CharField(_("promesse"), max_length=180, blank=True)
    description = models.TextField(_("description"), max_length=5000)
    eligibility = models.TextField(_("critères d'éligibilité"))
    form = models.CharField(_("forme de l'aide"), max_length=20, choices=AidForm.choices)
    level = models.CharField(_("échelon"), max_length=20, choices=AidLevel.choices)
    funder = models.CharField(_("porteur"), max_length=200)
    funder_siren = models.CharField(_("SIREN du porteur"), max_length=9, blank=True)
    rate = models.CharField(_("taux ou intensité"), max_length=200, blank=True)
    ceiling = models.DecimalField(
        _("plafond (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    sizes = models.JSONField(_("tailles d'entreprise"), default=list, blank=True)
    trl_min = models.PositiveSmallIntegerField(_("TRL minimal"), null=True, blank=True)
    trl_max = models.PositiveSmallIntegerField(_("TRL maximal"), null=True, blank=True)
    departements = models.JSONField(
        _("départements couverts"),
        default=list,
        blank=True,
        help_text=_("Vide : toute la France."),
    )
    themes = models.JSONField(
        _("marchés ciblés"), default=list, blank=True, help_text=_("Vide : tous les marchés.")
    )
    opens_on = models.DateField(_("ouverture"), null=True, blank=True)
    closes_on = models.DateField(_("clôture"), null=True, blank=True)
    url = models.URLField(_("lien"), blank=True)
    is_published = models.BooleanField(_("publié"), default=True)
    published_at = models.DateTimeField(_("publié le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    # Where the scheme comes from. A scheme typed here may still be linked to its record at
    # Aides-territoires (the import found it there): the link is shown, the import never
    # writes over it.
    source = models.CharField(
        _("origine"), max_length=20, choices=AidSource.choices, default=AidSource.TYPED
    )
    source_id = models.CharField(_("identifiant à la source"), max_length=40, blank=True)
    source_url = models.URLField(_("page à la source"), blank=True)
    source_updated_at = models.DateTimeField(_("mis à jour à la source le"), null=True, blank=True)
    # Set when an imported scheme is edited here (the admin's change form): the import then
    # keeps it as it is.
    edited_here = models.BooleanField(_("modifié ici depuis l'import"), default=False)

    class Meta:
        verbose_name = _("dispositif d'aide")
        verbose_name_plural = _("dispositifs d'aide")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_id"],
                condition=~models.Q(source_id=""),
                name="aidscheme_unique_source_id",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_imported(self) -> bool:
        return self.source == AidSource.AIDES_TERRITOIRES


class AidImportRun(models.Model):
    """One run of the import from Aides-territoires (the command's or beat's), as the
    programme officers read it: when, what it did, or why it did nothing."""

    started_at = models.DateTimeField(_("lancé le"))
    finished_at = models.DateTimeField(_("terminé le"))
    trigger = models.CharField(_("lancé par"), max_length=20, choices=AidImportTrigger.choices)
    status = models.CharField(_("état"), max_length=20, choices=AidImportStatus.choices)
    since = models.DateField(_("depuis"), null=True, blank=True)
    counts = models.JSONField(_("décompte"), default=dict)
    # The imported schemes kept because they were edited here, by title.
    kept_edited = models.JSONField(_("gardés, modifiés ici"), default=list)
    # Values of the source with no equivalent here (a type of aid, a perimeter, a theme).
    unknown_values = models.JSONField(_("valeurs inconnues"), default=list)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("import Aides-territoires")
        verbose_name_plural = _("imports Aides-territoires")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} — {self.get_status_display()}"


class SavedSearch(models.Model):
    """A catalogue search a user keeps, with an e-mail when new schemes match it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aid_searches"
    )
    name = models.CharField(_("nom"), max_length=120)
    criteria = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    alerted_until = models.DateTimeField()

    class Meta:
        verbose_name = _("recherche enregistrée")
        verbose_name_plural = _("recherches enregistrées")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
