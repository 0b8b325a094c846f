from django.db import models
from django.utils.translation import gettext_lazy as _


class CommuneKind(models.TextChoices):
    CURRENT = "commune-actuelle", _("Commune")
    DELEGATED = "commune-deleguee", _("Commune déléguée")
    ASSOCIATED = "commune-associee", _("Commune associée")


class NafLevel(models.IntegerChoices):
    SECTION = 1, _("Section")
    DIVISION = 2, _("Division")
    GROUP = 3, _("Groupe")
    CLASS = 4, _("Classe")
    SUBCLASS = 5, _("Sous-classe")
