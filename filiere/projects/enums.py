"""The projects' and the aid catalogue's fixed values."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The parts a user plays on a project (``access.project_roles``): a member of the lead firm,
# a coordinator of the cluster that instructs it, a named reviewer.
LEAD, OFFICER, REVIEWER = "lead", "officer", "reviewer"


class Market(models.TextChoices):
    HEALTH = "health", _("Santé")
    TOURISM = "tourism", _("Tourisme")
    AGRICULTURE = "agriculture", _("Agriculture et agroalimentaire")
    PORT_LOGISTICS = "port_logistics", _("Port et logistique")
    INDUSTRY = "industry", _("Industrie")
    ENERGY = "energy", _("Énergie et environnement")
    OTHER = "other", _("Autre marché")


class ProjectState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    UNDER_REVIEW = "under_review", _("En expertise")
    LABELLED = "labelled", _("Labellisé")
    NOT_LABELLED = "not_labelled", _("Non labellisé")
    FUNDING_SOUGHT = "funding_sought", _("Recherche de financement")
    FUNDED = "funded", _("Financé")
    IN_PROGRESS = "in_progress", _("En cours")
    CLOSED = "closed", _("Clos")


# States of a project the cluster labelled: the label stays through funding, work and closing.
LABELLED_STATES = frozenset(
    {
        ProjectState.LABELLED,
        ProjectState.FUNDING_SOUGHT,
        ProjectState.FUNDED,
        ProjectState.IN_PROGRESS,
        ProjectState.CLOSED,
    }
)

# States in which the project has a technical follow-up (milestones reached, reports).
FOLLOWED_UP_STATES = frozenset({ProjectState.FUNDED, ProjectState.IN_PROGRESS, ProjectState.CLOSED})


class PartnerKind(models.TextChoices):
    FIRM = "firm", _("Entreprise")
    LABORATORY = "laboratory", _("Laboratoire")
    END_USER = "end_user", _("Utilisateur final")
    OTHER = "other", _("Autre partenaire")


class Opinion(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Favorable avec réserves")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class AidForm(models.TextChoices):
    GRANT = "grant", _("Subvention")
    LOAN = "loan", _("Prêt")
    ADVANCE = "advance", _("Avance remboursable")
    GUARANTEE = "guarantee", _("Garantie")
    EQUITY = "equity", _("Fonds propres")
    CALL = "call", _("Appel à projets")
    SUPPORT = "support", _("Accompagnement")


class AidLevel(models.TextChoices):
    REGIONAL = "regional", _("Région")
    NATIONAL = "national", _("National")
    EUROPEAN = "european", _("Européen")


SIZE_CHOICES = [
    ("MIC", _("Microentreprise")),
    ("PME", _("PME")),
    ("ETI", _("ETI")),
    ("GE", _("Grande entreprise")),
]


class AidSource(models.TextChoices):
    """Who wrote a scheme of the catalogue: typed here, or imported from Aides-territoires."""

    TYPED = "typed", _("Saisi ici")
    AIDES_TERRITOIRES = "aides-territoires", _("Aides-territoires")


class AidImportTrigger(models.TextChoices):
    COMMAND = "command", _("Commande")
    DAILY = "daily", _("Tâche quotidienne")


class AidImportStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Réussi")
    FAILED = "failed", _("Échoué, rien n'a été écrit")
    NOT_CONFIGURED = "not_configured", _("Non configuré")
