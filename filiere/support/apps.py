from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "filiere.support"
    verbose_name = _("Accompagnement des entreprises du numérique")

    def ready(self) -> None:
        # Registers the contract indicator computed from the support needs, and the needs in
        # the personal-data registry.
        from filiere.support import indicator_sources, personal_data  # noqa: F401
