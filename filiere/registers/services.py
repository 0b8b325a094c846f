"""Writes on the registers: a third place's application and its labelling decision."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from filiere.registers.enums import ThirdPlaceStatus
from filiere.registers.models import ThirdPlace
from filiere.territory.models import Commune


class DecisionError(Exception):
    pass


def departement_of_postcode(postcode: str) -> str:
    """The département of a French postcode (overseas on three digits, Corsica 2A/2B)."""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


def third_place_apply(*, user, today: date | None = None, **fields) -> ThirdPlace:
    departement = departement_of_postcode(fields["postcode"])
    commune = Commune.objects.filter(
        name__iexact=fields["city"].strip(), departement__code=departement
    ).first()
    return ThirdPlace.objects.create(
        **fields,
        departement_code=departement,
        latitude=commune.latitude if commune else None,
        longitude=commune.longitude if commune else None,
        status=ThirdPlaceStatus.APPLIED,
        applied_on=today or timezone.localdate(),
        applicant=user,
    )


@transaction.atomic
def third_place_decide(
    *, place: ThirdPlace, status: str, decided_on: date, note: str
) -> ThirdPlace:
    place = ThirdPlace.objects.select_for_update().get(pk=place.pk)
    if place.status != ThirdPlaceStatus.APPLIED:
        raise DecisionError("Seule une candidature déposée reçoit une décision.")
    if place.applied_on and decided_on < place.applied_on:
        raise DecisionError("La décision ne peut pas précéder la candidature.")
    place.status = status
    place.decided_on = decided_on
    place.decision_note = note.strip()
    place.is_demo = False
    place.save(update_fields=["status", "decided_on", "decision_note", "is_demo"])
    return place
