from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "filiere.directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        # Registers the contacts in the personal-data export.
        from filiere.directory import personal_data  # noqa: F401
