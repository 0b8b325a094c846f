"""What the events hold about a person: their registrations, the meeting requests and
meetings of those registrations, their opinions of the events."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.events import access
from filiere.events.models import Feedback, Meeting, MeetingRequest, Registration
from filiere.events.services.registrations import registration_cancel

REGISTRATIONS = (
    Column("evenement", _("Événement"), lambda r: r.event.title),
    Column("debut", _("Début"), lambda r: r.event.starts_at),
    Column("entreprise", _("Entreprise"), lambda r: r.company),
    Column("propose", _("Ce que vous proposez"), lambda r: r.offer),
    Column("cherche", _("Ce que vous cherchez"), lambda r: r.seek),
    Column("motivation", _("Motivation"), lambda r: r.motivation),
    Column("etat", _("État"), lambda r: str(r.get_status_display())),
    Column("motif", _("Motif de la décision"), lambda r: r.decision_note),
    Column("reste_a_charge_eur", _("Reste à charge (€)"), lambda r: r.cost_share_eur),
    Column("inscrit_le", _("Inscrit·e le"), lambda r: r.created_at),
    Column("arrive_le", _("Arrivé·e le"), lambda r: r.checked_in_at),
)
REQUESTS = (
    Column("evenement", _("Événement"), lambda q: q.event.title),
    Column("de", _("De"), lambda q: q.requester.company),
    Column("vers", _("Vers"), lambda q: q.target.company),
    Column("priorite", _("Priorité"), lambda q: str(q.get_priority_display())),
    Column("etat", _("État"), lambda q: str(q.get_status_display())),
    Column("demandee_le", _("Demandée le"), lambda q: q.created_at),
)
MEETINGS = (
    Column("evenement", _("Événement"), lambda m: m.request.event.title),
    Column("debut", _("Début"), lambda m: m.slot.starts_at),
    Column("table", _("Table"), lambda m: m.table),
    Column(
        "entre", _("Entre"), lambda m: f"{m.request.requester.company} — {m.request.target.company}"
    ),
    Column("etat", _("État"), lambda m: str(m.get_state_display())),
)
FEEDBACK = (
    Column("evenement", _("Événement"), lambda f: f.registration.event.title),
    Column("note", _("Note"), lambda f: f.rating),
    Column("rendez_vous_utiles", _("Rendez-vous utiles"), lambda f: f.useful_meetings),
    Column("commentaire", _("Commentaire"), lambda f: f.comment),
    Column("donne_le", _("Donné le"), lambda f: f.created_at),
)


def export(user) -> list[Section]:
    mine = Registration.objects.filter(user=user)
    theirs = Q(requester__in=mine) | Q(target__in=mine)
    return [
        Section(
            "inscriptions_evenements",
            _("Inscriptions aux événements"),
            REGISTRATIONS,
            mine.select_related("event").order_by("pk"),
        ),
        Section(
            "demandes_rendez_vous",
            _("Demandes de rendez-vous d'affaires"),
            REQUESTS,
            MeetingRequest.objects.filter(theirs)
            .select_related("event", "requester", "target")
            .order_by("pk"),
        ),
        Section(
            "rendez_vous",
            _("Rendez-vous d'affaires"),
            MEETINGS,
            Meeting.objects.filter(Q(request__requester__in=mine) | Q(request__target__in=mine))
            .select_related("request__event", "request__requester", "request__target", "slot")
            .order_by("pk"),
        ),
        Section(
            "avis_evenements",
            _("Avis sur les événements"),
            FEEDBACK,
            Feedback.objects.filter(registration__in=mine)
            .select_related("registration__event")
            .order_by("pk"),
        ),
    ]


def erase(user) -> None:
    # A registration to an event still to come is cancelled as the person would cancel it:
    # nobody will come for it, so its seat goes to the waiting list and its meetings free the
    # other participants' tables.
    upcoming = Registration.objects.filter(user=user, event__starts_at__gt=timezone.now())
    for registration in upcoming.select_related("event"):
        if access.can_cancel(user, registration):
            registration_cancel(user=user, registration=registration)
    # Every registration then stays, unsigned: it counts in the contract's indicators (the
    # firms of a delegation, by their name) and in the organiser's records (the delegation,
    # its cost shares). Its meeting requests and meetings stay with it (the other
    # participants' agendas and requests), and so does its feedback (the event's opinion).
    Registration.objects.filter(user=user).update(user=None)


register(
    "events",
    models={
        Registration: Erasure.KEPT,
        MeetingRequest: Erasure.KEPT,
        Meeting: Erasure.KEPT,
        Feedback: Erasure.KEPT,
    },
    export=export,
    erase=erase,
)
