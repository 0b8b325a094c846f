from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "filiere.partners"
    verbose_name = _("Clés d'API des partenaires")
