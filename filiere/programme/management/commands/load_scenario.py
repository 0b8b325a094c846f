"""Load a built-in contract, ``data/contracts/<slug>.yaml`` (its stated facts only),
idempotently, through the contract file importer (``import_contract``).

Example: ``python -m filiere load_scenario normandie-numerique-2017``.
"""

from filiere.common.command import BaseCommand
from filiere.programme.contract_import import scenario_load, scenario_slugs


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("scenario", choices=scenario_slugs(), help="Scénario à charger.")
        parser.add_argument(
            "--update",
            action="store_true",
            help="Réécrire aussi les faits déjà en base (sinon seuls les manquants sont créés).",
        )

    def run(self, *args, scenario: str, update: bool, **options) -> None:
        contract = scenario_load(slug=scenario, summary=self.summary, update=update)
        self.console.print(f"Contrat chargé : {contract.title}")
