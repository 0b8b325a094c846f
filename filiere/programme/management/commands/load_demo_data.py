"""Generate the demo data of a loaded scenario (fixed seed, flagged as demo) and demo accounts.

Does nothing when the demo is already there; ``--reset`` regenerates it and
``--clear`` removes it. Rows typed by users are never touched.
"""

from django.core.management.base import CommandError

from filiere.common.command import BaseCommand
from filiere.programme.contract_import import NORMANDY_SLUG
from filiere.programme.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    demo_clear,
    demo_is_loaded,
    demo_load,
)
from filiere.programme.models import Contract


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--contract", default=NORMANDY_SLUG)
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--reset", action="store_true", help="Supprimer puis régénérer.")
        group.add_argument("--clear", action="store_true", help="Supprimer la démo.")

    def run(self, *args, contract: str, reset: bool, clear: bool, **options) -> None:
        target = Contract.objects.filter(slug=contract).first()
        if target is None:
            raise CommandError(f"Contrat « {contract} » introuvable : chargez d'abord le scénario.")
        if clear or reset:
            demo_clear(contract=target, summary=self.summary)
            if clear:
                return
        if demo_is_loaded(target):
            self.summary.add("démo déjà chargée")
        else:
            demo_load(contract=target, summary=self.summary)
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:45} {account.role.label}")
