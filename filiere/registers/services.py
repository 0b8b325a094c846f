"""Writes on the registers: a third place's application and its labelling decision."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.registers.enums import ThirdPlaceStatus
from filiere.registers.models import ThirdPlace
from filiere.territory.models import Commune


class DecisionError(Exception):
    """A labelling step the place's state does not allow."""


def departement_of_postcode(postcode: str) -> str:
    """The département of a French postcode (overseas on three digits, Corsica 2A/2B)."""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


@transaction.atomic
def third_place_apply(
    *, user, place: ThirdPlace | None = None, today: date | None = None, **fields
) -> ThirdPlace:
    """File an application: a new place, or a referenced one (an ANCT site) that asks for the
    label, its details updated from the form."""
    if place is None:
        place = ThirdPlace()
    else:
        place = ThirdPlace.objects.select_for_update().get(pk=place.pk)
        if place.status != ThirdPlaceStatus.REFERENCED:
            raise DecisionError(_("Ce lieu a déjà candidaté au label."))
    for name, value in fields.items():
        setattr(place, name, value)
    place.departement_code = departement_of_postcode(place.postcode)
    commune = Commune.objects.filter(
        name__iexact=place.city.strip(), departement__code=place.departement_code
    ).first()
    if commune is not None:
        place.latitude, place.longitude = commune.latitude, commune.longitude
    place.status = ThirdPlaceStatus.APPLIED
    place.applied_on = today or timezone.localdate()
    place.applicant = user
    place.save()
    return place


@transaction.atomic
def third_place_decide(
    *, place: ThirdPlace, status: str, decided_on: date, note: str
) -> ThirdPlace:
    place = ThirdPlace.objects.select_for_update().get(pk=place.pk)
    if place.status != ThirdPlaceStatus.APPLIED:
        raise DecisionError(_("Seule une candidature déposée reçoit une décision."))
    if place.applied_on and decided_on < place.applied_on:
        raise DecisionError(_("La décision ne peut pas précéder la candidature."))
    place.status = status
    place.decided_on = decided_on
    place.decision_note = note.strip()
    place.is_demo = False
    place.save(update_fields=["status", "decided_on", "decision_note", "is_demo"])
    return place
