"""What the registers hold about a person: the third places they applied for."""

from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.registers.models import ThirdPlace

APPLICATIONS = (
    Column("tiers_lieu", _("Tiers-lieu"), lambda place: place.name),
    Column("commune", _("Commune"), lambda place: place.city),
    Column("candidature_le", _("Candidature le"), lambda place: place.applied_on),
    Column("etat", _("État"), lambda place: str(place.get_status_display())),
    Column("decision_le", _("Décision le"), lambda place: place.decided_on),
    Column("motifs", _("Motifs de la décision"), lambda place: place.decision_note),
)


def export(user) -> list[Section]:
    return [
        Section(
            "candidatures_tiers_lieux",
            _("Candidatures de tiers-lieux"),
            APPLICATIONS,
            ThirdPlace.objects.filter(applicant=user).order_by("pk"),
        )
    ]


def erase(user) -> None:
    # The application is the place's (its label, the map, the contract's indicator): it stays,
    # without its applicant. The place's own details (address, site) are no person's.
    ThirdPlace.objects.filter(applicant=user).update(applicant=None)


register("registers", models={ThirdPlace: Erasure.KEPT}, export=export, erase=erase)
