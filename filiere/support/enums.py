from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.common.taking import CLOSING_STATUSES, TakingStatus

__all__ = ["CLOSING_STATUSES", "EventKind", "Subject", "SupportStatus", "TradeRegister"]


class Subject(models.TextChoices):
    FINANCE = "finance", _("Ingénierie financière")
    EXPORT = "export", _("Export, international")
    SKILLS = "skills", _("Emplois et compétences (GPEC)")
    INNOVATION_FUNDING = "innovation_funding", _("Financement de l'innovation")
    PREMISES = "premises", _("Locaux, résidence")


class TradeRegister(models.TextChoices):
    TRADE = "trade", _("Registre du commerce (CCI)")
    CRAFT = "craft", _("Répertoire des métiers (CMA)")


# The statuses every need taken by an adviser goes through (common.taking), shared with the
# digitalisation needs.
SupportStatus = TakingStatus


class EventKind(models.TextChoices):
    ROUTED = "routed", _("Orienté")
    TAKEN = "taken", _("Pris en charge")
    STATUS = "status", _("Changement d'état")
    DECLINED = "declined", _("Décliné par un bureau")
    REMINDER = "reminder", _("Relance")
    ABANDONED = "abandoned", _("Abandonné")
    SURVEY = "survey", _("Avis demandé à l'entreprise")
    SATISFACTION = "satisfaction", _("Avis de l'entreprise")
