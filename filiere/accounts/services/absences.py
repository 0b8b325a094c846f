"""Absences: an adviser away names a colleague of the same office who receives meanwhile
the needs routed to them (the rule is ``accounts.selectors.present_or_standing_in``)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from filiere.accounts import access
from filiere.accounts.models import Absence, User
from filiere.common.refusals import Refused


@transaction.atomic
def absence_record(
    *, user: User, organisation_id: int, stand_in: User, starts_on: date, ends_on: date
) -> Absence:
    access.check_absence(user, organisation_id, stand_in)
    if ends_on < starts_on:
        raise Refused(
            "absence.ends_before_start",
            _("L'absence doit finir après son début."),
            field="ends_on",
        )
    if Absence.objects.filter(user=user, starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise Refused(
            "absence.overlaps",
            _("Une autre de vos absences couvre déjà une partie de ces dates."),
            field="starts_on",
        )
    return Absence.objects.create(
        user=user,
        organisation_id=organisation_id,
        stand_in=stand_in,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def absence_delete(*, user: User, absence_id: int) -> None:
    """A person removes one of their absences (back earlier, plans changed)."""
    deleted, _by_model = Absence.objects.filter(pk=absence_id, user=user).delete()
    if not deleted:
        raise Refused("absence.unknown", _("Cette absence n'existe pas."))
