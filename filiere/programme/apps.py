from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "filiere.programme"
    verbose_name = _("Pilotage des contrats")

    def ready(self) -> None:
        # Importing these modules registers their indicator sources and personal-data sections.
        from filiere.programme import budget_sources, personal_data  # noqa: F401
