from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "filiere.accounts"
    verbose_name = _("Comptes et organisations")

    def ready(self) -> None:
        # Registers the account and memberships in the personal-data registry, first of all.
        # A password chosen from the reset link sent by e-mail is the way out of a lockout.
        from allauth.account.signals import password_reset

        from filiere.accounts import personal_data  # noqa: F401
        from filiere.accounts.limits import lift_lockout

        password_reset.connect(
            lambda sender, request, user, **kwargs: lift_lockout(email=user.email),
            weak=False,
            dispatch_uid="accounts_reset_lifts_lockout",
        )
