from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasefileConfig(AppConfig):
    name = "filiere.casefile"
    verbose_name = _("Dossier des entreprises")
