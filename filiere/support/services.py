"""Writes of the support flow: record and route a need, take it, move it on, escalate, survey,
and the routing rules. Each write checks its rule first (``access``)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.enums import MailCategory, Role
from filiere.accounts.models import Organisation
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import member_users, present_or_standing_in
from filiere.common import taking
from filiere.common.taking import NoteKind
from filiere.directory.enums import SIZE_CLASS_BANDS, Route
from filiere.directory.models import LegalUnit
from filiere.directory.recipients import firm_mail_context, firm_recipients, or_programme_officers
from filiere.directory.selectors import main_establishment
from filiere.support import access
from filiere.support.enums import EventKind, SupportStatus
from filiere.support.models import RoutingRule, SupportEvent, SupportNeed, SupportNote
from filiere.webhooks import payloads
from filiere.webhooks.enums import WebhookEvent
from filiere.webhooks.services import emit


def size_class(headcount_band: str) -> str:
    return next((size for size, bands in SIZE_CLASS_BANDS.items() if headcount_band in bands), "")


def routed_offices(*, unit: LegalUnit, subject: str, register: str, departement: str):
    """The offices whose active rules take this subject for this firm (blank criteria = any)."""
    naf = unit.naf or ""
    rules = RoutingRule.objects.filter(is_active=True, subject=subject).filter(
        Q(departement="") | Q(departement=departement),
        Q(size="") | Q(size=size_class(unit.headcount_band)),
        Q(register="") | Q(register=register),
    )
    offices = {
        rule.office_id for rule in rules if not rule.naf_prefix or naf.startswith(rule.naf_prefix)
    }
    return Organisation.objects.filter(id__in=offices).order_by("name")


def _event(need, kind, *, at, user=None, office=None, status="", note="") -> None:
    SupportEvent.objects.create(
        need=need, kind=kind, at=at, user=user, office=office, status=status, note=note
    )


def _note(need, kind, *, at, user, text) -> None:
    if text:
        SupportNote.objects.create(need=need, kind=kind, at=at, author=user, text=text)


def _link(need: SupportNeed) -> str:
    return absolute_url(reverse("support:detail", args=[need.pk]))


@transaction.atomic
def support_need_record(
    *,
    unit: LegalUnit,
    subject: str,
    description: str,
    register: str,
    user,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    now=None,
) -> SupportNeed:
    """A need recorded by the firm or by a partner after a diagnosis, routed to the offices
    whose rules take it, whose advisers are told (the programme officers, who keep the rules,
    when no office takes it or its offices have no adviser)."""
    access.check_record(user, unit)
    now = now or timezone.now()
    head = main_establishment(unit)
    departement = head.departement_code if head else ""
    need = SupportNeed.objects.create(
        legal_unit=unit,
        subject=subject,
        description=description,
        register=register,
        departement_code=departement,
        recorded_by=user,
        created_at=now,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    offices = list(
        routed_offices(unit=unit, subject=subject, register=register, departement=departement)
    )
    need.offices.set(offices)
    advisers = present_or_standing_in(
        member_users([o.pk for o in offices], [Role.ADVISER]), timezone.localdate(now)
    )
    emails, unrouted = or_programme_officers(advisers.emails, departement)
    note = ", ".join(str(o) for o in offices) or "aucun bureau ne correspond"
    if unrouted:
        note += " — transmis aux chargé·es de mission de la Région"
    if advisers.absences:
        note += f" — {advisers.history()}"
    _event(need, EventKind.ROUTED, at=now, user=user, note=note)
    send_on_commit(
        emails,
        subject=f"Besoin d'accompagnement : {need.get_subject_display()} — {unit.name}",
        template="support/email/routed.txt",
        context={"need": need, "link": _link(need), "offices": offices, "unrouted": unrouted},
        category=MailCategory.NEW_NEEDS,
    )
    _tell_offices(WebhookEvent.NEED_RECEIVED, need, offices)
    return need


@transaction.atomic
def support_need_take(*, need: SupportNeed, user, now=None) -> SupportNeed:
    """An adviser takes the need for their office, among those it was routed to."""
    need = SupportNeed.objects.select_for_update().get(pk=need.pk)
    office_id = access.check_take(user, need)
    now = now or timezone.now()
    need.status = SupportStatus.TAKEN
    need.taken_by = user
    need.taken_office_id = office_id
    need.taken_at = now
    need.save(update_fields=["status", "taken_by", "taken_office", "taken_at"])
    _event(need, EventKind.TAKEN, at=now, user=user, office=need.taken_office)
    _tell_offices(WebhookEvent.NEED_TAKEN, need, need.offices.all())
    return need


@transaction.atomic
def support_need_move_on(
    *, need: SupportNeed, user, status: str, note: str = "", now=None
) -> SupportNeed:
    """The office that took the need closes it, or says it is not for it; its note is added to
    the need's notes (a closing note, or why it hands the need back)."""
    need = (
        # Only the need's row is locked (PostgreSQL locks no nullable side of a join).
        SupportNeed.objects.select_for_update(of=("self",))
        .select_related("legal_unit", "taken_office", "recorded_by")
        .get(pk=need.pk)
    )
    access.check_move_on(user, need)
    taking.check_closing(status, also=[SupportStatus.NOT_FOR_US])
    now = now or timezone.now()
    office = need.taken_office
    if status == SupportStatus.NOT_FOR_US:
        _note(need, NoteKind.REDIRECT, at=now, user=user, text=note)
        need.offices.remove(office)
        remaining = need.offices.exists()
        need.status = SupportStatus.NEW if remaining else SupportStatus.NOT_FOR_US
        need.taken_by, need.taken_office, need.taken_at = None, None, None
        need.closed_at = None if remaining else now
        need.save(update_fields=["status", "taken_by", "taken_office", "taken_at", "closed_at"])
        _event(need, EventKind.DECLINED, at=now, user=user, office=office)
        if not remaining:  # no office left: closed, as « not for us », for the last one
            _tell_offices(WebhookEvent.NEED_CLOSED, need, [office])
        return need
    need.status = status
    need.closed_at = now
    need.save(update_fields=["status", "closed_at"])
    _note(need, NoteKind.CLOSING, at=now, user=user, text=note)
    _event(need, EventKind.STATUS, at=now, user=user, office=office, status=status)
    _ask_the_firm(need, now)
    _tell_offices(WebhookEvent.NEED_CLOSED, need, [*need.offices.all(), office])
    return need


def _tell_offices(event: str, need: SupportNeed, offices) -> None:
    """The offices' webhooks (docs/webhooks.md): each step of the need, once it commits."""
    data = payloads.need(
        kind="support",
        id=need.pk,
        status=need.status,
        topic=need.subject,
        departement=need.departement_code,
        company=need.legal_unit.name,
        siren=need.legal_unit.siren,
        link=_link(need),
        received_at=need.created_at,
        taken_at=need.taken_at,
        closed_at=need.closed_at,
        taken_office=need.taken_office.slug if need.taken_office_id else None,
    )
    emit(event, data, organisations=offices)


@transaction.atomic
def support_note_add(*, need: SupportNeed, user, text: str, now=None) -> SupportNote:
    """The office that holds the need adds a note (what it learnt qualifying it, where it
    stands): the earlier notes stay as they were."""
    need = SupportNeed.objects.select_for_update(of=("self",)).get(pk=need.pk)
    access.check_move_on(user, need)
    return SupportNote.objects.create(
        need=need, kind=NoteKind.NOTE, at=now or timezone.now(), author=user, text=text
    )


def _ask_the_firm(need: SupportNeed, now) -> None:
    """The firm is asked for its opinion as ``firm_recipients`` says, and only so: a partner
    who recorded the need after a diagnosis is not the firm, and the survey rates the
    partners (none of the offices' advisers relays it, the programme officers do). The
    history says who received it."""
    unit = need.legal_unit
    recipients = firm_recipients(unit, advisers=False)
    emails = list(recipients.addresses)
    with translation.override("fr"):  # the history's notes are written in French
        route = str(Route(recipients.route).label) if recipients.route else "aucun destinataire"
    _event(need, EventKind.SURVEY, at=now, note=route)
    survey = absolute_url(reverse("support:survey", args=[need.survey_token]))
    send_on_commit(
        emails,
        subject=f"Votre avis sur l'accompagnement : {need.get_subject_display()}"
        + (f" — {unit.name}" if recipients.relayed else ""),
        template="support/email/survey.txt",
        context={"need": need, "link": survey, **firm_mail_context(unit, recipients)},
        category=MailCategory.REMINDERS,
    )


@transaction.atomic
def satisfaction_record(*, need: SupportNeed, rating: int, comment: str, now=None) -> SupportNeed:
    access.check_survey(need)
    now = now or timezone.now()
    need.satisfaction = rating
    need.satisfaction_comment = comment
    need.save(update_fields=["satisfaction", "satisfaction_comment"])
    _event(need, EventKind.SATISFACTION, at=now, note=f"{rating}/5 {comment}".strip())
    return need


def escalate(*, now: datetime) -> dict[str, int]:
    """Remind the offices of needs nobody took after 7 and 14 days; abandon them at 30 days
    (``common.taking``: each step once per need, so running the command twice, or every hour,
    sends nothing more)."""
    pending = SupportNeed.objects.filter(status=SupportStatus.NEW).select_related("legal_unit")
    return taking.escalate(pending, now=now, escalate_one=_escalate_one)


def _escalate_one(need: SupportNeed, days: int, now: datetime) -> None:
    offices = list(need.offices.values_list("pk", flat=True))
    need.escalation_level = days
    # Advisers get each reminder; the offices' coordinators (their managers) from the last one.
    roles = [Role.ADVISER, Role.COORDINATOR] if taking.is_escalated(days) else [Role.ADVISER]
    if taking.is_abandoned(days):
        need.status = SupportStatus.ABANDONED
        need.closed_at = now
        _event(need, EventKind.ABANDONED, at=now, status=SupportStatus.ABANDONED)
        subject = f"Besoin abandonné ({days} jours sans prise en charge) : {need.legal_unit.name}"
    else:
        _event(need, EventKind.REMINDER, at=now, note=f"{days} jours")
        subject = f"Relance ({days} jours sans prise en charge) : {need.legal_unit.name}"
    need.save(update_fields=["escalation_level", "status", "closed_at"])
    if taking.is_abandoned(days):
        _tell_offices(WebhookEvent.NEED_CLOSED, need, offices)
    present = present_or_standing_in(member_users(offices, roles), timezone.localdate(now))
    emails, unrouted = or_programme_officers(present.emails, need.departement_code)
    send_on_commit(
        emails,
        subject=subject,
        template="support/email/reminder.txt",
        context={"need": need, "days": days, "link": _link(need), "unrouted": unrouted},
        category=MailCategory.REMINDERS,
    )


def routing_rule_create(*, user, **fields) -> RoutingRule:
    access.check_manage_rules(user)
    return RoutingRule.objects.create(**fields)


def routing_rule_toggle(*, user, rule: RoutingRule) -> RoutingRule:
    """Switch a rule off (needs stop coming through it) or on again."""
    access.check_manage_rules(user)
    rule.is_active = not rule.is_active
    rule.save(update_fields=["is_active", "updated_at"])
    return rule
