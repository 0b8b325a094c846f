from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "filiere.projects"
    verbose_name = _("Projets d'innovation et financements")

    def ready(self) -> None:
        # Registers the contract indicators computed from the projects, and the reviews,
        # documents, reports, moves and saved searches in the personal-data registry.
        from filiere.projects import indicator_sources, personal_data  # noqa: F401
