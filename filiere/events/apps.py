from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "filiere.events"
    verbose_name = _("Événements et rendez-vous d'affaires")

    def ready(self) -> None:
        # Registers the contract indicators computed from the events, and the registrations
        # in the personal-data registry.
        from filiere.events import indicator_sources, personal_data  # noqa: F401
