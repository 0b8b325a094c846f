"""Writes on the registers: a third place's application and its labelling decision."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.access import has_role
from filiere.accounts.enums import Role
from filiere.accounts.selectors import user_roles
from filiere.registers.enums import HostingOutcome, ThirdPlaceStatus
from filiere.registers.models import Cohort, Hosting, Residence, ThirdPlace
from filiere.territory.models import Commune


class DecisionError(Exception):
    """A labelling step the place's state does not allow."""


class HostingError(Exception):
    """A hosting step the residence or the firm's stay does not allow."""


def _runs_every_residence(user) -> bool:
    return user.is_staff or any(role == Role.PROGRAMME_OFFICER for _o, role in user_roles(user))


def manages_residence(user, residence: Residence) -> bool:
    """Staff, the Region's programme officers and the operator's coordinators run a residence."""
    return _runs_every_residence(user) or has_role(user, residence.operator_id, Role.COORDINATOR)


def managed_residences(user):
    residences = Residence.objects.all()
    if _runs_every_residence(user):
        return residences
    coordinated = [org for org, role in user_roles(user) if role == Role.COORDINATOR]
    return residences.filter(operator_id__in=coordinated)


def present_q(day: date, through: str = "") -> Q:
    """Hostings of firms in their residence on a day (entered by then, not yet left);
    ``through`` is the path to the hostings from the model filtered."""
    return Q(**{f"{through}entered_on__lte": day}) & (
        Q(**{f"{through}left_on__isnull": True}) | Q(**{f"{through}left_on__gt": day})
    )


def present_on(residence: Residence, day: date) -> int:
    return Hosting.objects.filter(present_q(day), cohort__residence=residence).count()


def cohort_open(*, residence: Residence, name: str, starts_on: date) -> Cohort:
    if Cohort.objects.filter(residence=residence, name__iexact=name.strip()).exists():
        raise HostingError(_("Cette résidence a déjà une promotion de ce nom."))
    return Cohort.objects.create(residence=residence, name=name.strip(), starts_on=starts_on)


@transaction.atomic
def hosting_add(*, cohort: Cohort, firm_name: str, legal_unit, entered_on: date) -> Hosting:
    residence = Residence.objects.select_for_update().get(pk=cohort.residence_id)
    if entered_on < cohort.starts_on:
        raise HostingError(_("L'entrée ne peut pas précéder le début de la promotion."))
    if present_on(residence, entered_on) >= residence.capacity:
        raise HostingError(
            _("La résidence est complète à cette date (%(capacity)s places).")
            % {"capacity": residence.capacity}
        )
    return Hosting.objects.create(
        cohort=cohort,
        legal_unit=legal_unit,
        firm_name=firm_name.strip() or legal_unit.name,
        entered_on=entered_on,
    )


@transaction.atomic
def hosting_leave(*, hosting: Hosting, left_on: date, outcome: str, note: str) -> Hosting:
    hosting = Hosting.objects.select_for_update().get(pk=hosting.pk)
    if hosting.left_on is not None:
        raise HostingError(_("La sortie de cette entreprise est déjà enregistrée."))
    if left_on < hosting.entered_on:
        raise HostingError(_("La sortie ne peut pas précéder l'entrée."))
    if outcome == HostingOutcome.HOSTED:
        raise HostingError(_("Indiquez ce que l'entreprise devient en sortant."))
    hosting.left_on = left_on
    hosting.outcome = outcome
    hosting.outcome_note = note.strip()
    hosting.save(update_fields=["left_on", "outcome", "outcome_note"])
    return hosting


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
    if commune is not None and place.latitude is None:
        # A new place sits at its commune's centre; a referenced site keeps its own point.
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


@transaction.atomic
def datalab_project_save(*, form, datasets):
    """Save a datalab project, its directory partners and its data sets together."""
    project = form.save()
    project.partners.set(form.cleaned_data["partner_sirens"])
    datasets.instance = project
    datasets.save()
    return project
