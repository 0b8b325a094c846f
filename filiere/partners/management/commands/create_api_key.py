"""Create an organisation's API key as one of its admins, and print its secret (shown once):
for scripts and CI, beside the keys page.

    python -m filiere create_api_key --organisation cci --user admin@cci.fr \
        --scope read --scope needs:write --name "CRM"
"""

from django.core.exceptions import PermissionDenied

from filiere.accounts.models import Organisation, User
from filiere.common.command import BaseCommand, InputErrors, LocatedError
from filiere.common.refusals import Refused
from filiere.partners import services
from filiere.partners.enums import Scope


def _error(field: str, message: str) -> InputErrors:
    return InputErrors([LocatedError(source="arguments", field=field, message=message)])


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--organisation", required=True, help="Identifiant (slug)")
        parser.add_argument("--user", required=True, help="E-mail d'un·e admin de l'équipe")
        parser.add_argument("--name", default="Clé créée en ligne de commande")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            help=f"Droit, répété ; « all » pour tous ({', '.join(Scope.values)})",
        )

    def run(self, *args, **options) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise _error("--organisation", f"organisation inconnue : {options['organisation']!r}")
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise _error("--user", f"compte inconnu : {options['user']!r}")
        scopes = options["scopes"] or []
        if "all" in scopes:
            scopes = list(Scope.values)
        try:
            created = services.key_create(
                user=user, organisation=organisation, name=options["name"], scopes=scopes
            )
        except PermissionDenied:
            raise _error("--user", f"{user.email} n'administre pas {organisation.slug}") from None
        except Refused as refusal:
            raise _error("--scope", str(refusal.message)) from None
        self.stdout.write(created.token)
        self.summary.add("clé créée")
