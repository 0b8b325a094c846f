from django.db import models
from django.utils.translation import gettext_lazy as _


class ActorRole(models.TextChoices):
    FUNDER = "funder", _("Financeur")
    SIGNATORY = "signatory", _("Signataire")
    COORDINATOR = "coordinator", _("Coordinateur")
    PARTNER = "partner", _("Partenaire")
    ORGANISER = "organiser", _("Organisateur de rencontres")


class ActionItemKind(models.TextChoices):
    RESIDENCE = "residence", _("Résidence thématique")
    TRADE_SHOW = "trade_show", _("Salon")
    MISSION = "mission", _("Mission de prospection")
    TARGET_MARKET = "target_market", _("Marché visé")
    SUPPORT_THEME = "support_theme", _("Thème d'accompagnement")
    SERVICE = "service", _("Service")


class Direction(models.TextChoices):
    INCREASE = "increase", _("À la hausse")
    DECREASE = "decrease", _("À la baisse")


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", _("Saisie")
    IMPORTED = "imported", _("Import")
