from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    FINANCE = "finance", _("Ingénierie financière")
    EXPORT = "export", _("Export, international")
    SKILLS = "skills", _("Emplois et compétences (GPEC)")
    INNOVATION_FUNDING = "innovation_funding", _("Financement de l'innovation")
    PREMISES = "premises", _("Locaux, résidence")


class TradeRegister(models.TextChoices):
    TRADE = "trade", _("Registre du commerce (CCI)")
    CRAFT = "craft", _("Répertoire des métiers (CMA)")


class SupportStatus(models.TextChoices):
    NEW = "new", _("Nouveau")
    TAKEN = "taken", _("Pris en charge")
    DONE = "done", _("Traité")
    DONE_WITHOUT_HELP = "done_without_help", _("Résolu sans aide")
    NOT_REACHABLE = "not_reachable", _("Injoignable")
    NOT_FOR_US = "not_for_us", _("Hors de notre champ")
    ABANDONED = "abandoned", _("Abandonné (30 jours sans prise en charge)")


# The statuses that close a need, set by the adviser who took it.
CLOSING_STATUSES = (
    SupportStatus.DONE,
    SupportStatus.DONE_WITHOUT_HELP,
    SupportStatus.NOT_REACHABLE,
)


class EventKind(models.TextChoices):
    ROUTED = "routed", _("Orienté")
    TAKEN = "taken", _("Pris en charge")
    STATUS = "status", _("Changement d'état")
    DECLINED = "declined", _("Décliné par un bureau")
    REMINDER = "reminder", _("Relance")
    ABANDONED = "abandoned", _("Abandonné")
    SURVEY = "survey", _("Avis demandé à l'entreprise")
    SATISFACTION = "satisfaction", _("Avis de l'entreprise")
