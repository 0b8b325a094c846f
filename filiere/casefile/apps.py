from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasefileConfig(AppConfig):
    name = "filiere.casefile"
    verbose_name = _("Dossier des entreprises")

    def ready(self) -> None:
        # Registers the notes and reminders in the personal-data registry.
        from filiere.casefile import personal_data  # noqa: F401
