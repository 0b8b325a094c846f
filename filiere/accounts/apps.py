from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "filiere.accounts"
    verbose_name = _("Comptes et organisations")

    def ready(self) -> None:
        # Registers the account and memberships in the personal-data registry, first of all.
        from filiere.accounts import personal_data  # noqa: F401
