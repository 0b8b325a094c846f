"""Load a built-in contract scenario (its stated facts only), idempotently.

Example: ``python -m filiere load_scenario normandie-numerique-2017``.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from filiere.common.command import BaseCommand
from filiere.programme.scenarios import SCENARIOS
from filiere.programme.scenarios.loader import scenario_load


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("scenario", choices=sorted(SCENARIOS), help="Scénario à charger.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Réécrire aussi les faits déjà en base (sinon seuls les manquants sont créés).",
        )

    def run(self, *args, scenario: str, update: bool, **options) -> None:
        try:
            contract = scenario_load(
                scenario=SCENARIOS[scenario], summary=self.summary, update=update
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.console.print(f"Contrat chargé : {contract.title}")
