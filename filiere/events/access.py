"""Who may do what with events.

* Organisers — the partners (any partner role) of the organising organisation, and the
  administrators — create events as drafts, which only they see; they publish them, and
  edit them until they are held (once published, with a reason kept in the history). They
  run events: slots, decisions, arrivals, invitations, the schedule and its publication,
  moves, no-shows and their replacements.
* A signed-in person registers while registration is open (``Event.phase``: published,
  before the deadline's day is over and before the start), once, and cancels their own
  registration while it stands.
* An approved participant of a matchmaking event asks others for meetings and answers the
  requests they received; after the event has begun, they give their opinion.

Each rule is written once, as a ``check_…`` that the services call first.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filiere.accounts.access import is_admin, partner_organisation_ids
from filiere.accounts.models import Organisation
from filiere.common.access import May, allows, get_or_404
from filiere.common.refusals import Refused
from filiere.events.enums import (
    EventPhase,
    EventStatus,
    MeetingState,
    RegistrationStatus,
    RunStatus,
)
from filiere.events.models import Event, Meeting, MeetingRequest, Registration

# A decision is taken on a registration that awaits one (a seat freed, the waiting list).
UNDECIDED = (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED)
# A registration that no longer stands: nothing to cancel.
ENDED = (RegistrationStatus.CANCELLED, RegistrationStatus.REFUSED)


def organises_for(user, organisation_id: int) -> bool:
    """Whether the user runs the events of this organisation."""
    return is_admin(user) or organisation_id in partner_organisation_ids(user)


def event_organisers(user):
    """The organisations a user may create events for."""
    if is_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=partner_organisation_ids(user))


def visible_events(user, events):
    """The published events, and the drafts of the organisations the user runs events for."""
    if is_admin(user):
        return events
    return events.filter(
        Q(status=EventStatus.PUBLISHED) | Q(organiser_id__in=partner_organisation_ids(user))
    )


# Fetching


def access_event(user, slug: str) -> Event:
    """An event the user may see: a draft is its organisers' alone (404 for anyone else)."""
    event = get_object_or_404(Event.objects.select_related("organiser"), slug=slug)
    if event.is_draft and not organises_for(user, event.organiser_id):
        raise Http404
    return event


def access_event_as_organiser(user, slug: str) -> Event:
    event = access_event(user, slug)
    check_organise(user, event)
    return event


def own_registration(user, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def access_own_registration(user, event: Event) -> Registration:
    """The user's registration to the event; 403 for those who have none."""
    mine = own_registration(user, event)
    if mine is None:
        raise PermissionDenied
    return mine


def access_event_registration(event: Event, pk) -> Registration:
    """A registration to this event (another participant, for the organiser or a request)."""
    return get_or_404(event.registrations.select_related("event", "user"), pk)


def access_received_request(registration: Registration, pk) -> MeetingRequest:
    """A meeting request sent to this participant; 404 for any other."""
    return get_object_or_404(
        MeetingRequest.objects.select_related("target__event"), pk=pk, target=registration
    )


def access_meeting(event: Event, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related(
            "slot", "request__event", "request__requester", "request__target", "absent"
        ),
        pk=pk,
        request__event=event,
    )


# Organisers


def check_create_event(user, organiser: Organisation | None = None) -> None:
    """Partners create events for their organisations (``organiser``, or any of them),
    administrators for any organisation."""
    if organiser is None:
        allowed = is_admin(user) or bool(partner_organisation_ids(user))
    else:
        allowed = organises_for(user, organiser.pk)
    if not allowed:
        raise PermissionDenied


def can_create_event(user) -> bool:
    return allows(check_create_event, user)


def check_organise(user, event: Event) -> None:
    if not organises_for(user, event.organiser_id):
        raise PermissionDenied


def check_publish_event(user, event: Event) -> None:
    check_organise(user, event)
    if not event.is_draft:
        raise Refused("events.already_published", _("Cet événement est déjà publié."))


def check_edit(user, event: Event, now=None) -> None:
    """Organisers edit their event until it is held; after, it is what took place."""
    check_organise(user, event)
    if event.phase(now) == EventPhase.HELD:
        raise Refused("events.edit_held", _("Cet événement a eu lieu : il ne se modifie plus."))


def check_plan(user, event: Event) -> None:
    """Slots, the schedule and its publication belong to matchmaking events."""
    check_organise(user, event)
    if not event.is_matchmaking:
        raise Refused(
            "events.not_matchmaking", _("Cet événement n'a pas de rendez-vous d'affaires.")
        )


def check_schedule(user, event: Event) -> None:
    """One run at a time: a second one would write over the first one's drafts."""
    check_plan(user, event)
    if event.runs.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).exists():
        raise Refused(
            "events.run_in_progress",
            _("Un calcul du planning est déjà en cours : attendez qu'il se termine."),
        )


def check_cancel_run(user, event: Event) -> None:
    check_plan(user, event)
    if not event.runs.filter(status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).exists():
        raise Refused("events.no_run", _("Aucun calcul du planning n'est en cours."))


def check_publish(user, event: Event) -> None:
    check_plan(user, event)
    if not Meeting.objects.filter(request__event=event, state=MeetingState.DRAFT).exists():
        raise Refused("events.nothing_to_publish", _("Aucun rendez-vous à publier."))


def check_invite(user, event: Event, invitation_list) -> None:
    """An organiser invites from the lists of their own organisations."""
    check_organise(user, event)
    if invitation_list.organisation_id not in partner_organisation_ids(user):
        raise PermissionDenied


def check_decide(user, registration: Registration) -> None:
    check_organise(user, registration.event)
    if registration.status not in UNDECIDED:
        raise Refused("events.already_decided", _("Cette inscription n'attend plus de décision."))
    if registration.user_id is None:
        # The decision is told to the person: there is nobody left to tell.
        raise Refused(
            "events.registrant_erased",
            _("Cette personne a supprimé son compte : son inscription n'attend plus de décision."),
        )


def check_check_in(user, registration: Registration) -> None:
    check_organise(user, registration.event)
    if registration.status != RegistrationStatus.APPROVED:
        raise Refused("events.arrival_not_registered", _("Cette personne n'est pas inscrite."))
    if registration.checked_in_at is not None:
        raise Refused("events.already_arrived", _("Son arrivée est déjà notée."))


def check_move(user, meeting: Meeting) -> None:
    check_organise(user, meeting.request.event)


def check_no_show(user, meeting: Meeting) -> None:
    check_organise(user, meeting.request.event)
    if meeting.state != MeetingState.PUBLISHED:
        raise Refused(
            "events.no_show_unpublished",
            _("Seul un rendez-vous publié peut être noté absent."),
        )


def check_absent(user, meeting: Meeting, absent: Registration) -> None:
    """The person noted absent is one of the meeting's two participants."""
    check_no_show(user, meeting)
    if absent.pk not in (meeting.request.requester_id, meeting.request.target_id):
        raise Refused("events.absent_not_in_meeting", _("Cette personne n'a pas ce rendez-vous."))


def check_replace(user, meeting: Meeting) -> None:
    check_organise(user, meeting.request.event)
    if meeting.state != MeetingState.NO_SHOW:
        raise Refused("events.replace_not_no_show", _("Seul un rendez-vous manqué se remplace."))


def can_organise(user, event: Event) -> bool:
    return allows(check_organise, user, event)


def can_publish_event(user, event: Event) -> bool:
    return allows(check_publish_event, user, event)


def can_edit(user, event: Event) -> bool:
    return allows(check_edit, user, event)


def can_read_history(user, event: Event) -> bool:
    """The edits of an event, signed by their organisers, are read by its organisers and by
    those who registered (who were told the earlier dates, place…)."""
    if can_organise(user, event):
        return True
    return user.is_authenticated and event.registrations.filter(user=user).exists()


def can_decide(user, registration: Registration) -> bool:
    return allows(check_decide, user, registration)


def can_check_in(user, registration: Registration) -> bool:
    return allows(check_check_in, user, registration)


def can_move(user, meeting: Meeting) -> bool:
    return allows(check_move, user, meeting)


def can_no_show(user, meeting: Meeting) -> bool:
    return allows(check_no_show, user, meeting)


def can_replace(user, meeting: Meeting) -> bool:
    return allows(check_replace, user, meeting)


# Participants


def check_register(user, event: Event, now=None) -> None:
    """While the event is open to registration at ``now`` (the clock's time by default)."""
    if not user.is_authenticated:
        raise PermissionDenied
    if Registration.objects.filter(event=event, user=user).exists():
        raise Refused("events.already_registered", _("Vous êtes déjà inscrit à cet événement."))
    phase = event.phase(now)
    if phase == EventPhase.DRAFT:
        raise Refused("events.registration_draft", _("Cet événement n'est pas encore publié."))
    if phase != EventPhase.OPEN:
        raise Refused("events.registration_closed", _("Les inscriptions sont closes."))


def _check_own(user, registration: Registration) -> None:
    if registration.user_id != user.pk:
        raise PermissionDenied


def check_cancel(user, registration: Registration) -> None:
    _check_own(user, registration)
    if registration.status in ENDED:
        raise Refused("events.registration_ended", _("Cette inscription est déjà close."))


def _check_approved(registration: Registration) -> None:
    if registration.status != RegistrationStatus.APPROVED:
        raise Refused("events.not_participant", _("Votre inscription n'est pas (ou plus) validée."))


def check_meet(user, registration: Registration) -> None:
    """An approved participant of a matchmaking event takes part in the B2B meetings."""
    _check_own(user, registration)
    if not registration.event.is_matchmaking:
        raise Refused(
            "events.not_matchmaking", _("Cet événement n'a pas de rendez-vous d'affaires.")
        )
    _check_approved(registration)


def same_firm(one: Registration, other: Registration) -> bool:
    """Two registrations of one firm: the same directory entry, or the same name when one of
    them names none."""
    if one.legal_unit_id and other.legal_unit_id:
        return one.legal_unit_id == other.legal_unit_id
    return one.company.strip().casefold() == other.company.strip().casefold()


def check_request_meeting(user, requester: Registration, target: Registration) -> None:
    check_meet(user, requester)
    if requester.pk == target.pk:
        raise Refused("events.request_self", _("On ne se demande pas soi-même."))
    if same_firm(requester, target):
        raise Refused(
            "events.request_own_firm",
            _("C'est votre propre entreprise : rencontrez d'autres participants."),
        )
    if target.event_id != requester.event_id or target.status != RegistrationStatus.APPROVED:
        raise Refused(
            "events.request_not_participant",
            _("Ce participant n'est pas inscrit à l'événement."),
        )


def check_answer(user, request: MeetingRequest) -> None:
    """The participant a request was sent to answers it."""
    check_meet(user, request.target)


def check_give_feedback(user, registration: Registration) -> None:
    _check_own(user, registration)
    _check_approved(registration)
    if not registration.event.has_started:
        raise Refused(
            "events.feedback_before_event", _("Votre avis sera demandé après l'événement.")
        )


def can_register(user, event: Event) -> bool:
    return allows(check_register, user, event)


def can_cancel(user, registration: Registration) -> bool:
    return allows(check_cancel, user, registration)


def can_meet(user, registration: Registration) -> bool:
    return allows(check_meet, user, registration)


def can_give_feedback(user, registration: Registration) -> bool:
    return allows(check_give_feedback, user, registration)


# What templates ask


def may_event(user, event: Event) -> May:
    return May(
        user,
        event,
        organise=can_organise,
        register=can_register,
        edit=can_edit,
        publish=can_publish_event,
        read_history=can_read_history,
    )


def may_registration(user, registration: Registration) -> May:
    """For the participant (cancel, meet, give feedback) and the organiser (decide, arrival)."""
    return May(
        user,
        registration,
        cancel=can_cancel,
        meet=can_meet,
        give_feedback=can_give_feedback,
        decide=can_decide,
        check_in=can_check_in,
    )


def may_meeting(user, meeting: Meeting) -> May:
    return May(user, meeting, move=can_move, no_show=can_no_show, replace=can_replace)
