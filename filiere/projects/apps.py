from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "filiere.projects"
    verbose_name = _("Projets d'innovation et financements")

    def ready(self) -> None:
        # Registers the contract indicators computed from the projects.
        from filiere.projects import indicator_sources  # noqa: F401
