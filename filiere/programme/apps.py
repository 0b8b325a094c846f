from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "filiere.programme"
    verbose_name = _("Pilotage des contrats")

    def ready(self) -> None:
        # Importing these modules registers their indicator sources and personal-data sections.
        from filiere.programme import budget_sources, personal_data  # noqa: F401
        from filiere.programme.figures import watch
        from filiere.programme.models import (
            Action,
            Axis,
            BudgetAllocation,
            BudgetCommitment,
            Contract,
            ContractActor,
            Indicator,
            Measurement,
            Payment,
            Pillar,
            PillarCommitment,
            Strategy,
        )

        # What the contract figures are computed from (``programme.figures``): the contract,
        # its records, the organisations they name.
        watch(
            Contract,
            ContractActor,
            Axis,
            Action,
            Indicator,
            Measurement,
            BudgetAllocation,
            BudgetCommitment,
            Payment,
            Strategy,
            Pillar,
            PillarCommitment,
            self.apps.get_model("accounts", "Organisation"),
        )
