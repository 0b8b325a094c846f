"""The reads of a firm's case file: one selector per kind of the timeline, merged and sorted,
each in a fixed number of queries whatever the firm's history."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.casefile.enums import EntryKind
from filiere.casefile.models import CaseNote, Reminder
from filiere.common.formats import format_euros
from filiere.directory.models import Contact, LabelRequest, LegalUnit
from filiere.events.enums import MeetingState
from filiere.events.models import Meeting, Registration
from filiere.needs.enums import MatchStatus, NeedStatus
from filiere.needs.models import Match, Need
from filiere.projects import access as project_access
from filiere.projects.models import Funding, Project
from filiere.registers.models import Hosting
from filiere.support import access as support_access
from filiere.support.models import SupportNeed


@dataclass(frozen=True)
class Entry:
    """One dated line of the timeline."""

    day: date
    kind: str
    title: str
    lines: list[str] = field(default_factory=list)
    url: str = ""

    @property
    def kind_label(self) -> str:
        return EntryKind(self.kind).label


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    def holds(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _day(moment: datetime | date) -> date:
    return timezone.localdate(moment) if isinstance(moment, datetime) else moment


def need_entries(unit: LegalUnit, **_context) -> Iterable[Entry]:
    """The digitalisation needs the firm posted (found by its SIREN in their SIRET), with the
    providers suggested or contacted and what came of it."""
    needs = (
        Need.objects.filter(siret__startswith=unit.siren)
        .exclude(status=NeedStatus.UNCONFIRMED)
        .select_related("taken_office")
        .prefetch_related(Prefetch("matches", queryset=Match.objects.select_related("legal_unit")))
    )
    for need in needs:
        lines = [need.text, _("État : %(status)s") % {"status": need.get_status_display()}]
        if need.taken_office:
            lines.append(_("Pris en charge par %(office)s") % {"office": need.taken_office.name})
        for match in need.matches.all():
            outcome = match.get_business_outcome_display() or match.get_provider_outcome_display()
            lines.append(
                _("Prestataire : %(firm)s — %(status)s%(outcome)s")
                % {
                    "firm": match.legal_unit.name,
                    "status": match.get_status_display(),
                    "outcome": f" — {outcome}" if outcome else "",
                }
            )
        yield Entry(
            _day(need.received_at),
            EntryKind.NEED,
            _("Besoin de digitalisation : %(domain)s") % {"domain": need.get_domain_display()},
            lines,
        )


def match_entries(unit: LegalUnit, **_context) -> Iterable[Entry]:
    """The needs whose business asked to contact the firm as a provider."""
    matches = (
        Match.objects.filter(legal_unit=unit)
        .exclude(status=MatchStatus.SUGGESTED)
        .select_related("need")
    )
    for match in matches:
        lines = [_("État : %(status)s") % {"status": match.get_status_display()}]
        outcome = match.get_provider_outcome_display() or match.get_business_outcome_display()
        if outcome:
            lines.append(_("Suite : %(outcome)s") % {"outcome": outcome})
        if match.contract_amount_eur is not None:
            lines.append(
                _("Montant du contrat : %(amount)s")
                % {"amount": format_euros(match.contract_amount_eur)}
            )
        yield Entry(
            _day(match.requested_at or match.need.received_at),
            EntryKind.MATCH,
            _("Mise en relation avec %(business)s") % {"business": match.need.company_name},
            lines,
        )


def support_entries(unit: LegalUnit, *, user, **_context) -> Iterable[Entry]:
    """The firm's support needs, linked to their page where the reader may open it."""
    needs = SupportNeed.objects.filter(legal_unit=unit).select_related("taken_office")
    reachable = set(
        support_access.visible_needs(user).filter(legal_unit=unit).values_list("pk", flat=True)
    )
    for need in needs:
        lines = [need.description, _("État : %(status)s") % {"status": need.get_status_display()}]
        if need.taken_office:
            lines.append(_("Pris en charge par %(office)s") % {"office": need.taken_office.name})
        if need.satisfaction is not None:
            lines.append(
                _("Satisfaction : %(rating)s/5") % {"rating": need.satisfaction}
                + (f" — {need.satisfaction_comment}" if need.satisfaction_comment else "")
            )
        yield Entry(
            _day(need.created_at),
            EntryKind.SUPPORT,
            _("Accompagnement : %(subject)s") % {"subject": need.get_subject_display()},
            lines,
            reverse("support:detail", args=[need.pk]) if need.pk in reachable else "",
        )


def event_entries(unit: LegalUnit, **_context) -> Iterable[Entry]:
    """The events the firm registered for, and its delegations with their cost share."""
    registrations = Registration.objects.filter(legal_unit=unit).select_related("event", "feedback")
    for registration in registrations:
        event = registration.event
        lines = [
            event.get_kind_display(),
            _("Inscription : %(status)s") % {"status": registration.get_status_display()},
        ]
        if registration.checked_in_at:
            lines.append(_("Présente à l'événement"))
        if registration.cost_share_eur is not None:
            lines.append(
                _("Reste à charge : %(amount)s")
                % {"amount": format_euros(registration.cost_share_eur)}
            )
        feedback = getattr(registration, "feedback", None)
        if feedback is not None:
            lines.append(_("Avis : %(rating)s/5") % {"rating": feedback.rating})
        yield Entry(
            _day(event.starts_at),
            EntryKind.EVENT,
            event.title,
            lines,
            reverse("events:detail", args=[event.slug]),
        )


def meeting_entries(unit: LegalUnit, **_context) -> Iterable[Entry]:
    """The meetings of its events' schedules once published (held, or missed by one side)."""
    meetings = (
        Meeting.objects.filter(
            Q(request__requester__legal_unit=unit) | Q(request__target__legal_unit=unit)
        )
        .exclude(state=MeetingState.DRAFT)
        .select_related("slot__event", "request__requester", "request__target")
    )
    for meeting in meetings:
        request = meeting.request
        other = request.target if request.requester.legal_unit_id == unit.pk else request.requester
        yield Entry(
            _day(meeting.slot.starts_at),
            EntryKind.MEETING,
            _("Rendez-vous avec %(firm)s") % {"firm": other.company},
            [meeting.slot.event.title, meeting.get_state_display()],
        )


def project_entries(unit: LegalUnit, *, user, kinds: set[str], **_context) -> Iterable[Entry]:
    """The innovation projects the firm leads or joins, their labelling decision and their
    fundings (neither the confidential summary nor the experts' opinions)."""
    projects = (
        Project.objects.filter(Q(lead=unit) | Q(partners__legal_unit=unit))
        .distinct()
        .select_related("cluster")
        .prefetch_related(Prefetch("fundings", queryset=Funding.objects.kept()))
    )
    projects = list(projects)
    reachable = set(
        project_access.visible_projects(user)
        .filter(pk__in=[project.pk for project in projects])
        .values_list("pk", flat=True)
    )
    for project in projects:
        url = reverse("projects:detail", args=[project.pk]) if project.pk in reachable else ""
        if EntryKind.PROJECT in kinds:
            role = _("porteur") if project.lead_id == unit.pk else _("partenaire")
            lines = [
                _("Rôle : %(role)s") % {"role": role},
                _("État : %(state)s") % {"state": project.get_state_display()},
                _("Instruit par %(cluster)s") % {"cluster": project.cluster.name},
            ]
            if project.decided_on:
                lines.append(
                    _("Décision du %(day)s") % {"day": project.decided_on.strftime("%d/%m/%Y")}
                )
            yield Entry(
                _day(project.created_at),
                EntryKind.PROJECT,
                _("Projet : %(title)s") % {"title": project.title},
                lines,
                url,
            )
        if EntryKind.FUNDING in kinds:
            for funding in project.fundings.all():
                yield Entry(
                    funding.granted_on,
                    EntryKind.FUNDING,
                    _("Financement de %(title)s") % {"title": project.title},
                    [str(funding)],
                    url,
                )


def hosting_entries(unit: LegalUnit, **_context) -> Iterable[Entry]:
    for hosting in Hosting.objects.filter(legal_unit=unit).select_related("cohort__residence"):
        lines = [hosting.cohort.name, hosting.get_outcome_display()]
        if hosting.left_on:
            lines.append(_("Sortie le %(day)s") % {"day": hosting.left_on.strftime("%d/%m/%Y")})
        yield Entry(
            hosting.entered_on,
            EntryKind.HOSTING,
            _("Hébergée à %(residence)s") % {"residence": hosting.cohort.residence.name},
            lines,
        )


def label_entries(unit: LegalUnit, **_context) -> Iterable[Entry]:
    for request in LabelRequest.objects.filter(legal_unit=unit).select_related("label"):
        lines = [request.get_status_display()]
        if request.reason:
            lines.append(request.reason)
        if request.withdrawal_reason:
            lines.append(request.withdrawal_reason)
        yield Entry(
            _day(request.withdrawn_at or request.decided_at or request.requested_at),
            EntryKind.LABEL,
            _("Label : %(label)s") % {"label": request.label.name},
            lines,
        )


def contact_entries(unit: LegalUnit, **_context) -> Iterable[Entry]:
    """The firm's contacts, dated by the consent they gave (the directory keeps none other)."""
    for contact in Contact.objects.filter(legal_unit=unit):
        yield Entry(
            contact.consent_on,
            EntryKind.CONTACT,
            contact.full_name,
            [text for text in (contact.role, contact.email, contact.phone) if text],
        )


def note_entries(unit: LegalUnit, *, organisation_ids: set[int], **_context) -> Iterable[Entry]:
    notes = CaseNote.objects.filter(legal_unit=unit).readable_by(organisation_ids)
    for note in notes.select_related("author", "organisation"):
        if note.is_for_partners:
            audience = _("Visible par tous les partenaires")
        else:
            audience = _("Visible par %(organisation)s") % {"organisation": note.organisation.name}
        author = (note.author.get_full_name() or note.author.email) if note.author else "—"
        yield Entry(
            _day(note.at),
            EntryKind.NOTE,
            _("Note de %(author)s") % {"author": author},
            [note.text, audience],
        )


# Each kind's selector; the project selector gives the fundings too.
SELECTORS: dict[str, Callable[..., Iterable[Entry]]] = {
    EntryKind.NEED: need_entries,
    EntryKind.MATCH: match_entries,
    EntryKind.SUPPORT: support_entries,
    EntryKind.EVENT: event_entries,
    EntryKind.MEETING: meeting_entries,
    EntryKind.PROJECT: project_entries,
    EntryKind.FUNDING: project_entries,
    EntryKind.HOSTING: hosting_entries,
    EntryKind.LABEL: label_entries,
    EntryKind.CONTACT: contact_entries,
    EntryKind.NOTE: note_entries,
}


def timeline(
    unit: LegalUnit, *, user, organisation_ids: set[int], kinds: set[str], period: Period
) -> list[Entry]:
    """The firm's history of the given kinds within the period, the latest first."""
    entries: list[Entry] = []
    for selector in dict.fromkeys(SELECTORS[kind] for kind in EntryKind if kind in kinds):
        entries.extend(
            entry
            for entry in selector(unit, user=user, kinds=kinds, organisation_ids=organisation_ids)
            if entry.kind in kinds and period.holds(entry.day)
        )
    order = {kind: index for index, kind in enumerate(EntryKind)}
    return sorted(entries, key=lambda entry: (entry.day, -order[entry.kind]), reverse=True)


def reminders_of(user, unit: LegalUnit) -> list[Reminder]:
    """The user's reminders on the firm: the open ones first, by date."""
    return sorted(
        Reminder.objects.filter(owner=user, legal_unit=unit),
        key=lambda reminder: (reminder.is_done, reminder.due_on, reminder.pk),
    )


def due_reminders(user, day: date) -> list[Reminder]:
    """What the user has to do by that day and has not done, with its firm."""
    if not user.is_authenticated:
        return []
    return list(Reminder.objects.due_on(day).filter(owner=user).select_related("legal_unit"))
