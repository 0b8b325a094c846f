from django.db import models
from django.utils.translation import gettext_lazy as _


class HostingOutcome(models.TextChoices):
    HOSTED = "hosted", _("Hébergée")
    OWN_PREMISES = "own_premises", _("Installée dans ses propres locaux")
    GROWN = "grown", _("Croissance (recrutements, levée de fonds)")
    LEFT_REGION = "left_region", _("Partie hors de la région")
    CEASED = "ceased", _("Activité arrêtée")
    OTHER = "other", _("Autre")


class DatalabStatus(models.TextChoices):
    PLANNED = "planned", _("En préparation")
    ONGOING = "ongoing", _("En cours")
    DONE = "done", _("Terminé")


class DatasetRole(models.TextChoices):
    USES = "uses", _("Utilise")
    PUBLISHES = "publishes", _("Publie")


class ThirdPlaceStatus(models.TextChoices):
    REFERENCED = "referenced", _("Référencé")
    APPLIED = "applied", _("Candidature déposée")
    LABELLED = "labelled", _("Labellisé")
    REFUSED = "refused", _("Non labellisé")


class TrainingFormat(models.TextChoices):
    ON_SITE = "on_site", _("Présentiel")
    DISTANCE = "distance", _("À distance")
    BLENDED = "blended", _("Multimodal (présentiel et distance)")
