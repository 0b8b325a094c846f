"""What the observatory holds about a person: the register imports they started."""

from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.observatory.models import SireneImport

IMPORTS = (
    Column("demande_le", _("Demandé le"), lambda i: i.created_at),
    Column("territoire", _("Territoire"), lambda i: i.territory_label),
    Column("fichier", _("Fichier des établissements"), lambda i: i.establishments_name),
    Column("etat", _("État"), lambda i: str(i.get_status_display())),
)


def export(user) -> list[Section]:
    return [
        Section(
            "imports_registre",
            _("Imports du registre lancés"),
            IMPORTS,
            SireneImport.objects.filter(started_by=user).order_by("pk"),
        )
    ]


def erase(user) -> None:
    # An import is the register's history (what changed it, when): it stays, unsigned.
    SireneImport.objects.filter(started_by=user).update(started_by=None)


register("observatory", models={SireneImport: Erasure.KEPT}, export=export, erase=erase)
