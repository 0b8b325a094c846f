"""Writes on the registers: a residence's cohorts and hostings, a third place's application
and its labelling decision, a datalab project, a training path's correction. Each checks
its rule first (``access``). A hosting, a decision, a datalab project or a training path is
corrected (or deleted, cancelled) through ``common.history`` with a reason, under the rules
of its entry: what would break one is refused, and nothing changes."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.common import history
from filiere.common.refusals import Refused
from filiere.registers import access
from filiere.registers.enums import HostingOutcome, ThirdPlaceStatus
from filiere.registers.models import (
    Cohort,
    DatalabProject,
    Dataset,
    Hosting,
    Residence,
    ThirdPlace,
    TrainingPath,
)
from filiere.registers.selectors import present_q
from filiere.territory.models import Commune


def cohort_open(*, user, residence: Residence, name: str, starts_on: date) -> Cohort:
    access.check_run_residence(user, residence)
    if Cohort.objects.filter(residence=residence, name__iexact=name.strip()).exists():
        raise Refused(
            "registers.cohort_name_taken",
            _("Cette résidence a déjà une promotion de ce nom."),
            field="name",
        )
    return Cohort.objects.create(residence=residence, name=name.strip(), starts_on=starts_on)


@transaction.atomic
def hosting_add(*, user, cohort: Cohort, firm_name: str, legal_unit, entered_on: date) -> Hosting:
    residence = Residence.objects.select_for_update().get(pk=cohort.residence_id)
    access.check_run_residence(user, residence)
    if entered_on < cohort.starts_on:
        raise Refused(
            "registers.entry_before_cohort",
            _("L'entrée ne peut pas précéder le début de la promotion."),
            field="entered_on",
        )
    _check_room(residence, entered_on)
    return Hosting.objects.create(
        cohort=cohort,
        legal_unit=legal_unit,
        firm_name=firm_name.strip() or legal_unit.name,
        entered_on=entered_on,
    )


def _check_room(residence: Residence, day: date, *, excluding=None) -> None:
    present = Hosting.objects.filter(present_q(day), cohort__residence=residence)
    if present.exclude(pk=excluding).count() >= residence.capacity:
        raise Refused(
            "registers.residence_full",
            _("La résidence est complète à cette date (%(capacity)s places).")
            % {"capacity": residence.capacity},
        )


def _check_reason(reason: str) -> str:
    if not reason.strip():
        raise Refused(
            "correction.no_reason",
            _("Donnez le motif de la correction : il est gardé dans l'historique."),
            field="reason",
        )
    return reason.strip()


def _locked_hosting(hosting: Hosting) -> Hosting:
    # The residence is the lock its hostings' writes queue on (its capacity).
    Residence.objects.select_for_update().get(pk=hosting.cohort.residence_id)
    return Hosting.objects.select_related("cohort__residence").get(pk=hosting.pk)


@transaction.atomic
def hosting_correct(
    *,
    user,
    hosting: Hosting,
    firm_name: str,
    entered_on: date,
    left_on: date | None,
    outcome: str,
    outcome_note: str,
    reason: str,
) -> Hosting:
    """Correct a hosting: it still enters after its cohort starts, leaves after it enters
    with an outcome (and has none while hosted), and finds a seat on its entry day."""
    reason = _check_reason(reason)
    hosting = _locked_hosting(hosting)
    access.check_correct_hosting(user, hosting)
    if entered_on < hosting.cohort.starts_on:
        raise Refused(
            "registers.entry_before_cohort",
            _("L'entrée ne peut pas précéder le début de la promotion."),
            field="entered_on",
        )
    if left_on is not None and left_on < entered_on:
        raise Refused(
            "registers.exit_before_entry",
            _("La sortie ne peut pas précéder l'entrée."),
            field="left_on",
        )
    if left_on is not None and outcome == HostingOutcome.HOSTED:
        raise Refused(
            "registers.exit_without_outcome",
            _("Indiquez ce que l'entreprise devient en sortant."),
            field="outcome",
        )
    if left_on is None and outcome != HostingOutcome.HOSTED:
        raise Refused(
            "registers.outcome_without_exit",
            _("Une entreprise encore hébergée n'a pas de devenir : donnez sa date de sortie."),
            field="left_on",
        )
    if entered_on < hosting.entered_on:
        _check_room(hosting.cohort.residence, entered_on, excluding=hosting.pk)
    hosting.firm_name = firm_name.strip() or hosting.firm_name
    hosting.entered_on, hosting.left_on = entered_on, left_on
    hosting.outcome, hosting.outcome_note = outcome, outcome_note.strip()
    history.correct(hosting, reason=reason, user=user)
    return hosting


@transaction.atomic
def hosting_delete(*, user, hosting: Hosting, reason: str) -> None:
    """Delete a hosting entered by mistake; its history keeps what it was and why."""
    reason = _check_reason(reason)
    hosting = _locked_hosting(hosting)
    access.check_correct_hosting(user, hosting)
    history.delete(hosting, reason=reason, user=user)


@transaction.atomic
def hosting_leave(*, user, hosting: Hosting, left_on: date, outcome: str, note: str) -> Hosting:
    hosting = (
        Hosting.objects.select_for_update(of=("self",))
        .select_related("cohort__residence")
        .get(pk=hosting.pk)
    )
    access.check_leave(user, hosting)
    if left_on < hosting.entered_on:
        raise Refused(
            "registers.exit_before_entry",
            _("La sortie ne peut pas précéder l'entrée."),
            field="left_on",
        )
    if outcome == HostingOutcome.HOSTED:
        raise Refused(
            "registers.exit_without_outcome",
            _("Indiquez ce que l'entreprise devient en sortant."),
            field="outcome",
        )
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
    if place is not None:
        place = ThirdPlace.objects.select_for_update().get(pk=place.pk)
    access.check_apply(user, place)
    if place is None:
        place = ThirdPlace()
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
    *, user, place: ThirdPlace, status: str, decided_on: date, note: str
) -> ThirdPlace:
    place = ThirdPlace.objects.select_for_update().get(pk=place.pk)
    access.check_decide(user, place)
    if place.applied_on and decided_on < place.applied_on:
        raise Refused(
            "registers.decision_before_application",
            _("La décision ne peut pas précéder la candidature."),
            field="decided_on",
        )
    place.status = status
    place.decided_on = decided_on
    place.decision_note = note.strip()
    place.is_demo = False
    place.save(update_fields=["status", "decided_on", "decision_note", "is_demo"])
    return place


DECISION_FIELDS = ["status", "decided_on", "decision_note", "is_demo"]


@transaction.atomic
def third_place_decision_correct(
    *, user, place: ThirdPlace, status: str, decided_on: date, note: str, reason: str
) -> ThirdPlace:
    """Correct a labelling decision: still a decision, not before the application."""
    reason = _check_reason(reason)
    place = ThirdPlace.objects.select_for_update().get(pk=place.pk)
    access.check_correct_decision(user, place)
    if status not in access.DECIDED:
        raise Refused(
            "registers.not_a_decision",
            _("Une décision labellise le lieu ou ne le labellise pas."),
            field="status",
        )
    if place.applied_on and decided_on < place.applied_on:
        raise Refused(
            "registers.decision_before_application",
            _("La décision ne peut pas précéder la candidature."),
            field="decided_on",
        )
    place.status, place.decided_on, place.decision_note = status, decided_on, note.strip()
    # A person stands behind the corrected decision, as behind one taken on the page.
    place.is_demo = False
    history.correct(place, reason=reason, user=user, fields=DECISION_FIELDS)
    return place


@transaction.atomic
def third_place_decision_cancel(*, user, place: ThirdPlace, reason: str) -> ThirdPlace:
    """Cancel a labelling decision: the place is back to its filed application, to be
    decided again; the history keeps the decision and why it was cancelled."""
    reason = _check_reason(reason)
    place = ThirdPlace.objects.select_for_update().get(pk=place.pk)
    access.check_correct_decision(user, place)
    place.status, place.decided_on, place.decision_note = ThirdPlaceStatus.APPLIED, None, ""
    history.correct(place, reason=reason, user=user, fields=DECISION_FIELDS)
    return place


@transaction.atomic
def datalab_project_save(
    *,
    user,
    project: DatalabProject | None,
    fields: dict,
    partners: list,
    datasets: list[dict],
    reason: str = "",
) -> DatalabProject:
    """Save a datalab project (a new one when ``project`` is None) with its directory
    partners and its data sets: ``datasets`` is the whole list to keep, each a dict of
    the data set's fields with its ``id`` when it is already recorded. Changing a recorded
    project gives a reason, kept in its history and in its data sets' with who and when."""
    access.check_edit_datalab(user)
    if project is not None:
        reason = _check_reason(reason)
        project = DatalabProject.objects.select_for_update().get(pk=project.pk)
    project = project or DatalabProject()
    for name, value in fields.items():
        setattr(project, name, value)
    history.correct(project, reason=reason, user=user)
    project.partners.set(partners)
    kept = {data["id"] for data in datasets if data.get("id")}
    for dataset in project.datasets.exclude(pk__in=kept):
        history.delete(dataset, reason=reason, user=user)
    recorded = project.datasets.in_bulk(kept)
    for data in datasets:
        values = {name: value for name, value in data.items() if name != "id"}
        dataset = recorded.get(data.get("id")) or Dataset(project=project)
        if dataset.pk and all(getattr(dataset, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(dataset, name, value)
        history.correct(dataset, reason=reason, user=user)
    return project


@transaction.atomic
def datalab_project_delete(*, user, project: DatalabProject, reason: str) -> None:
    """Delete a project entered by mistake, with its data sets; their history keeps what
    they were and why."""
    access.check_edit_datalab(user)
    reason = _check_reason(reason)
    project = DatalabProject.objects.select_for_update().get(pk=project.pk)
    for dataset in project.datasets.all():
        history.delete(dataset, reason=reason, user=user)
    history.delete(project, reason=reason, user=user)


@transaction.atomic
def training_path_correct(
    *,
    user,
    path: TrainingPath,
    title: str,
    provider_name: str,
    provider_siren,
    region,
    format: str,
    hours: int,
    created_on: date,
    url: str,
    reason: str,
) -> TrainingPath:
    """Correct a training path. The import knows a path by its title, provider and creation
    date in its région: a correction that would make it another path of the register is
    refused (the next import could not tell them apart)."""
    access.check_correct_training_path(user)
    reason = _check_reason(reason)
    path = TrainingPath.objects.select_for_update().get(pk=path.pk)
    twin = TrainingPath.objects.filter(
        region=region, title=title, provider_name=provider_name, created_on=created_on
    ).exclude(pk=path.pk)
    if twin.exists():
        raise Refused(
            "registers.training_path_twice",
            _(
                "Le registre a déjà ce parcours (même intitulé, organisme et date de création "
                "dans cette région)."
            ),
            field="title",
        )
    path.title, path.provider_name, path.provider = title, provider_name, provider_siren
    path.region, path.format, path.hours = region, format, hours
    path.created_on, path.url = created_on, url
    history.correct(path, reason=reason, user=user)
    return path


@transaction.atomic
def training_path_delete(*, user, path: TrainingPath, reason: str) -> None:
    """Delete a training path imported by mistake; its history keeps what it was and why."""
    access.check_correct_training_path(user)
    reason = _check_reason(reason)
    path = TrainingPath.objects.select_for_update().get(pk=path.pk)
    history.delete(path, reason=reason, user=user)
