from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "filiere.needs"
    verbose_name = _("Besoins et mises en relation")

    def ready(self) -> None:
        # Registers the contract indicators computed from the matches, and the needs in the
        # personal-data registry.
        from filiere.needs import indicator_sources, personal_data  # noqa: F401
