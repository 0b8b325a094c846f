from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "filiere.observatory"
    verbose_name = _("Observatoire")

    def ready(self) -> None:
        # Registers the contract indicator sources computed from the register, and the imports
        # people started in the personal-data registry.
        from filiere.observatory import indicator_sources, personal_data  # noqa: F401
