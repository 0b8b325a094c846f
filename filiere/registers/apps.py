from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "filiere.registers"
    verbose_name = _("Résidences et registres de la stratégie")

    def ready(self) -> None:
        # Registers the contract indicators computed from the registers, and the third-place
        # applications in the personal-data registry.
        from filiere.registers import indicator_sources, personal_data  # noqa: F401
