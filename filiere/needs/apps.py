from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "filiere.needs"
    verbose_name = _("Besoins et mises en relation")

    def ready(self) -> None:
        # Registers the contract indicators computed from the matches, and the
        # needs in the personal-data export.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from filiere.needs import indicator_sources, personal_data  # noqa: F401
        from filiere.needs.services import needs_of_user_erase

        pre_delete.connect(
            lambda sender, instance, **kwargs: needs_of_user_erase(user=instance),
            sender=get_user_model(),
            weak=False,
            dispatch_uid="needs_erase_with_account",
        )
