"""Who may act on the registers.

* A residence is run by the Region's programme officers, the coordinators of its
  operator and the administrators: they open its cohorts, host firms and record
  their exits (an exit once).
* Officers, coordinators and administrators (``oversees``) edit the datalab,
  decide on third-place applications (only an applied place) and import
  training paths.
* Anyone signed in applies for the third-place label: for a new place, or for a
  referenced one that has not applied yet.
* Whoever may enter a record corrects it, with a reason kept in its history: those who
  run a residence correct or delete its hostings; those who decide on the label correct
  or cancel a decision taken; those who edit the datalab correct or delete its projects;
  those who import the training paths correct or delete them.
The registers themselves are public.

Each rule is written once, as a ``check_…`` that the services call first.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filiere.accounts.access import (
    has_role,
    is_programme_officer,
    organisation_ids_in_role,
    oversees,
)
from filiere.accounts.enums import Role
from filiere.common.access import May, allows
from filiere.common.refusals import Refused
from filiere.registers.enums import ThirdPlaceStatus
from filiere.registers.models import (
    DatalabProject,
    Hosting,
    Residence,
    ThirdPlace,
    TrainingPath,
)


def managed_residences(user):
    """The residences a user runs: all of them for officers, their operator's for coordinators."""
    if is_programme_officer(user):
        return Residence.objects.all()
    return Residence.objects.filter(
        operator_id__in=organisation_ids_in_role(user, Role.COORDINATOR)
    )


def access_managed_residences(user):
    """The residences a user runs, for the forms that run them; 403 when they run none."""
    residences = managed_residences(user)
    if not residences.exists():
        raise PermissionDenied
    return residences


def check_run_residence(user, residence: Residence) -> None:
    if not (is_programme_officer(user) or has_role(user, residence.operator_id, Role.COORDINATOR)):
        raise PermissionDenied


def can_run_residence(user, residence: Residence) -> bool:
    return allows(check_run_residence, user, residence)


def access_hosting(pk: int) -> Hosting:
    """A hosting, with its residence (the hostings are public; ``check_leave`` says who acts)."""
    return get_object_or_404(Hosting.objects.select_related("cohort__residence"), pk=pk)


def check_leave(user, hosting: Hosting) -> None:
    """Those who run the residence record a firm's exit, once."""
    check_run_residence(user, hosting.cohort.residence)
    if hosting.left_on is not None:
        raise Refused(
            "registers.already_left", _("La sortie de cette entreprise est déjà enregistrée.")
        )


def can_leave(user, hosting: Hosting) -> bool:
    return allows(check_leave, user, hosting)


def check_correct_hosting(user, hosting: Hosting) -> None:
    """Those who host firms in the residence correct or delete its hostings."""
    check_run_residence(user, hosting.cohort.residence)


def can_correct_hosting(user, hosting: Hosting) -> bool:
    return allows(check_correct_hosting, user, hosting)


def check_edit_datalab(user) -> None:
    if not oversees(user):
        raise PermissionDenied


def can_edit_datalab(user) -> bool:
    return allows(check_edit_datalab, user)


def access_datalab_project(user, pk: int | None) -> DatalabProject | None:
    """The project to edit (None for a new one), for those who edit the datalab; 403 otherwise."""
    check_edit_datalab(user)
    return get_object_or_404(DatalabProject, pk=pk) if pk is not None else None


def access_place(pk: int) -> ThirdPlace:
    return get_object_or_404(ThirdPlace, pk=pk)


def check_apply(user, place: ThirdPlace | None) -> None:
    """A new place applies, or a referenced one that has not applied yet (anyone signed in
    files it: the application page asks to sign in)."""
    if place is not None and place.status != ThirdPlaceStatus.REFERENCED:
        raise Refused("registers.already_applied", _("Ce lieu a déjà candidaté au label."))


def can_apply(user, place: ThirdPlace | None) -> bool:
    return allows(check_apply, user, place)


def access_place_to_apply(user, pk: int) -> ThirdPlace:
    """A referenced place whose application form is open; 404 once it has applied."""
    place = access_place(pk)
    if not can_apply(user, place):
        raise Http404
    return place


def check_decide(user, place: ThirdPlace) -> None:
    """Officers and coordinators decide on an application, once it is filed."""
    if not oversees(user):
        raise PermissionDenied
    if place.status != ThirdPlaceStatus.APPLIED:
        raise Refused(
            "registers.decision_not_applied",
            _("Seule une candidature déposée reçoit une décision."),
        )


def can_decide(user, place: ThirdPlace) -> bool:
    return allows(check_decide, user, place)


DECIDED = (ThirdPlaceStatus.LABELLED, ThirdPlaceStatus.REFUSED)


def check_correct_decision(user, place: ThirdPlace) -> None:
    """Those who decide on the label correct or cancel a decision taken."""
    if not oversees(user):
        raise PermissionDenied
    if place.status not in DECIDED:
        raise Refused(
            "registers.no_decision", _("Ce lieu n'a pas de décision de labellisation à corriger.")
        )


def can_correct_decision(user, place: ThirdPlace) -> bool:
    return allows(check_correct_decision, user, place)


def may_place(user, place: ThirdPlace) -> May:
    return May(
        user, place, apply=can_apply, decide=can_decide, correct_decision=can_correct_decision
    )


def check_import_training_paths(user) -> None:
    """The training paths are a commitment of the Region's strategy (COMMUNOTIC): its
    programme officers import them, not the clusters' coordinators."""
    if not is_programme_officer(user):
        raise PermissionDenied


def can_import_training_paths(user) -> bool:
    return allows(check_import_training_paths, user)


def check_correct_training_path(user) -> None:
    """Those who import the training paths correct or delete them."""
    check_import_training_paths(user)


def can_correct_training_path(user) -> bool:
    return allows(check_correct_training_path, user)


def access_training_path(pk: int) -> TrainingPath:
    return get_object_or_404(TrainingPath.objects.select_related("region", "provider"), pk=pk)
