from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowcaseConfig(AppConfig):
    name = "filiere.showcase"
    verbose_name = _("Vitrine de la filière")
