from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "filiere.partners"
    verbose_name = _("Clés d'API des partenaires")

    def ready(self) -> None:
        # Registers the keys in the personal-data registry.
        from filiere.partners import personal_data  # noqa: F401
