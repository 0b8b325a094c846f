from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "filiere.programme"
    verbose_name = _("Pilotage des contrats")

    def ready(self) -> None:
        from filiere.programme import budget_sources  # noqa: F401  (registers its sources)
