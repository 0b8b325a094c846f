"""Writes of the needs flow: post and confirm a need, suggest, contact, answer, record
outcomes, take in charge, qualify, redirect and close, escalate, invitation lists, offers.
Each write checks its rule first (``access``)."""

from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.enums import MailCategory, Role
from filiere.accounts.models import Organisation
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import (
    covering_members,
    member_users,
    present_or_standing_in,
    programme_officer_emails,
)
from filiere.common import taking
from filiere.common.refusals import Refused
from filiere.common.taking import NoteKind
from filiere.directory.recipients import firm_mail_context, firm_recipients, or_programme_officers
from filiere.directory.search import firm_texts_changed
from filiere.needs import access
from filiere.needs.adapters import providers_changed, rank_for_need, suggestion_fields
from filiere.needs.enums import MatchStatus, NeedStatus, Outcome, Side
from filiere.needs.models import (
    InvitationEntry,
    InvitationList,
    Match,
    Need,
    NeedNote,
    OfferReference,
    ProviderOffer,
)
from filiere.programme.figures import figures_changed
from filiere.webhooks import payloads
from filiere.webhooks.enums import WebhookEvent
from filiere.webhooks.services import emit

SUGGESTIONS = 10


def need_link(need: Need) -> str:
    return absolute_url(reverse("needs:follow", args=[need.token]))


@transaction.atomic
def need_post(*, commune, user=None, trusted: bool = False, **fields) -> Need:
    """Record a new need and send the link that confirms its e-mail address. A need a
    partner's API key sends (``trusted``) is confirmed at once: the partner collected it and
    answers for it; the business is sent the link to its page."""
    need = Need.objects.create(
        commune=commune,
        departement_code=commune.departement.code,
        user=user,
        status=NeedStatus.UNCONFIRMED,
        **fields,
    )
    if trusted:
        need_confirm(need=need)
        _tell_received(need)
        return need
    send_on_commit(
        [need.contact_email],
        subject="Confirmez votre besoin",
        template="needs/email/confirm.txt",
        context={
            "need": need,
            "link": absolute_url(reverse("needs:confirm", args=[need.token])),
        },
        category=MailCategory.TRANSACTIONAL,
    )
    return need


def _tell_received(need: Need) -> None:
    send_on_commit(
        [need.contact_email],
        subject="Votre besoin numérique est transmis",
        template="needs/email/received.txt",
        context={"need": need, "link": need_link(need)},
        category=MailCategory.TRANSACTIONAL,
    )


@transaction.atomic
def need_confirm(*, need: Need) -> Need:
    if need.status != NeedStatus.UNCONFIRMED:
        return need
    need.status = NeedStatus.NEW
    need.confirmed_at = timezone.now()
    need.save(update_fields=["status", "confirmed_at"])
    suggestions_refresh(need=need)
    link = _adviser_link(need)
    advisers = present_or_standing_in(
        [m.user for m in covering_members(need.departement_code, [Role.ADVISER])],
        timezone.localdate(need.confirmed_at),
    )
    emails, without_adviser = or_programme_officers(advisers.emails, need.departement_code)
    _note(need, NoteKind.NOTE, user=None, text=advisers.history(), now=need.confirmed_at)
    send_on_commit(
        emails,
        subject=f"Nouveau besoin numérique : {need.company_name}",
        template="needs/email/new_need.txt",
        context={"need": need, "link": link, "without_adviser": without_adviser},
        category=MailCategory.NEW_NEEDS,
    )
    _tell_offices(WebhookEvent.NEED_RECEIVED, need)
    return need


def suggestions_refresh(*, need: Need) -> list[Match]:
    """Rank the providers for the need; contacts already asked for are kept as they are."""
    ranked = rank_for_need(need, top=SUGGESTIONS)
    kept = {m.legal_unit_id: m for m in need.matches.exclude(status=MatchStatus.SUGGESTED)}
    need.matches.filter(status=MatchStatus.SUGGESTED).delete()
    created = []
    for rank, suggestion in enumerate(ranked, start=1):
        fields = suggestion_fields(suggestion)
        if fields["legal_unit_id"] in kept:
            continue
        created.append(Match(need=need, rank=rank, **fields))
    matches = Match.objects.bulk_create(created)
    figures_changed()
    return matches


@transaction.atomic
def match_request(*, match: Match) -> Match:
    """The business asks to be put in touch with a suggested provider (once: asking again
    changes nothing). The request goes to whoever receives the firm's messages
    (``firm_recipients``), kept on the match for the business to read."""
    access.check_contact(match.need)
    if match.status != MatchStatus.SUGGESTED:
        return match
    unit = match.legal_unit
    recipients = firm_recipients(unit)
    if not recipients:
        raise Refused(
            "match.nobody_to_tell",
            _(
                "%(name)s ne peut pas encore être contacté par la plateforme : choisissez un autre "
                "prestataire."
            )
            % {"name": unit.name},
        )
    match.status = MatchStatus.REQUESTED
    match.requested_at = timezone.now()
    match.delivered_to = recipients.route
    match.save(update_fields=["status", "requested_at", "delivered_to"])
    need = match.need
    if recipients.relayed:
        subject = f"Demande de contact pour {unit.name} : {need.company_name}"
    else:
        subject = f"Une entreprise souhaite vous contacter : {need.company_name}"
    send_on_commit(
        recipients.addresses,
        subject=subject,
        template="needs/email/contact_request.txt",
        context={
            "match": match,
            "need": need,
            "link": absolute_url(reverse("needs:provider_inbox")),
            **firm_mail_context(unit, recipients),
        },
        category=MailCategory.NEW_NEEDS,
    )
    return match


@transaction.atomic
def match_answer(*, match: Match, user, accept: bool) -> Match:
    """The provider accepts (the business's contact details are then shared) or declines."""
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("need", "legal_unit")
        .get(pk=match.pk)
    )
    access.check_answer(user, match)
    match.status = MatchStatus.ACCEPTED if accept else MatchStatus.DECLINED
    match.answered_at = timezone.now()
    match.save(update_fields=["status", "answered_at"])
    need = match.need
    send_on_commit(
        [need.contact_email],
        subject=f"{match.legal_unit.name} a répondu à votre demande",
        template="needs/email/answer.txt",
        context={"match": match, "need": need, "accepted": accept, "link": need_link(need)},
        category=MailCategory.TRANSACTIONAL,
    )
    return match


@transaction.atomic
def match_outcome(
    *, match: Match, side: str, outcome: str, amount_eur: Decimal | None = None
) -> Match:
    """The business or the provider says what came of an accepted contact."""
    access.check_outcome(match)
    if outcome == Outcome.CONTRACT_SIGNED and amount_eur is None:
        raise Refused(
            "match.signed_without_amount",
            _("Indiquez le montant du contrat signé."),
            field="amount_eur",
        )
    field = "business_outcome" if side == Side.BUSINESS else "provider_outcome"
    setattr(match, field, outcome)
    if outcome == Outcome.CONTRACT_SIGNED:
        match.contract_amount_eur = amount_eur
    match.outcome_at = timezone.now()
    match.save(update_fields=[field, "contract_amount_eur", "outcome_at"])
    return match


def _note(need: Need, kind: str, *, user, text: str, now) -> None:
    if text:
        NeedNote.objects.create(need=need, kind=kind, at=now, author=user, text=text)


def _locked(need: Need) -> Need:
    # Only the need's row is locked (PostgreSQL locks no nullable side of a join).
    return Need.objects.select_for_update(of=("self",)).get(pk=need.pk)


@transaction.atomic
def need_take(*, need: Need, user, now=None) -> Need:
    """An adviser takes the need for their office, among those it goes to: the first to ask
    has it, a second is refused."""
    need = _locked(need)
    office_id = access.check_take(user, need)
    need.status = NeedStatus.TAKEN
    need.taken_by = user
    need.taken_office_id = office_id
    need.taken_at = now or timezone.now()
    need.save(update_fields=["status", "taken_by", "taken_office", "taken_at"])
    _tell_offices(WebhookEvent.NEED_TAKEN, need)
    return need


@transaction.atomic
def need_move_on(*, need: Need, user, status: str, note: str = "", now=None) -> Need:
    """The office that took the need closes it with its outcome; its note is added."""
    need = _locked(need)
    access.check_move_on(user, need)
    taking.check_closing(status)
    now = now or timezone.now()
    need.status = status
    need.closed_at = now
    need.save(update_fields=["status", "closed_at"])
    _note(need, NoteKind.CLOSING, user=user, text=note, now=now)
    _tell_offices(WebhookEvent.NEED_CLOSED, need)
    return need


@transaction.atomic
def need_qualify(*, need: Need, user, domain: str, note: str, now=None) -> Need:
    """A partner qualifies the need: its domain, and a note added to the earlier ones."""
    access.check_act_on_need(user, need)
    domain_changed = domain != need.domain
    need.domain = domain
    need.qualified_by = user
    need.save(update_fields=["domain", "qualified_by"])
    _note(need, NoteKind.QUALIFICATION, user=user, text=note, now=now or timezone.now())
    if domain_changed:
        suggestions_refresh(need=need)
    return need


@transaction.atomic
def need_redirect(*, need: Need, user, organisation: Organisation, note: str, now=None) -> Need:
    """The need goes to another office, whose advisers take it; the reason is added to its
    notes (the qualification stays)."""
    need = _locked(need)
    access.check_redirect(user, need)
    now = now or timezone.now()
    advisers = present_or_standing_in(
        member_users([organisation.pk], [Role.ADVISER]), timezone.localdate(now)
    )
    emails = advisers.emails
    if not emails:
        # Redirected there, the need would wait for nobody: the adviser chooses another office.
        raise Refused(
            "need.redirect_without_adviser",
            _(
                "%(office)s n'a pas de conseiller sur la plateforme : réorientez ce besoin vers "
                "une autre organisation."
            )
            % {"office": organisation.display_name},
            field="organisation",
        )
    need.redirected_to = organisation
    need.status = NeedStatus.NEW
    need.taken_by, need.taken_office, need.taken_at = None, None, None
    need.save(update_fields=["redirected_to", "status", "taken_by", "taken_office", "taken_at"])
    _note(need, NoteKind.REDIRECT, user=user, text=note, now=now)
    _note(need, NoteKind.NOTE, user=None, text=advisers.history(), now=now)
    link = _adviser_link(need)
    send_on_commit(
        emails,
        subject=f"Besoin réorienté vers vous : {need.company_name}",
        template="needs/email/new_need.txt",
        context={"need": need, "link": link},
        category=MailCategory.NEW_NEEDS,
    )
    _tell_offices(WebhookEvent.NEED_RECEIVED, need, offices=[organisation.pk])
    return need


@transaction.atomic
def need_close(*, need: Need) -> Need:
    """The business closes its need itself."""
    need.status = NeedStatus.CLOSED
    need.closed_at = timezone.now()
    need.save(update_fields=["status", "closed_at"])
    if need.confirmed_at:  # the offices never received an unconfirmed need
        _tell_offices(WebhookEvent.NEED_CLOSED, need)
    return need


def _offices_of(need: Need) -> set[int]:
    """The offices the need goes to (as ``access.office_to_take`` reads it) and the one that
    took it."""
    if need.redirected_to_id:
        offices = {need.redirected_to_id}
    else:
        members = covering_members(need.departement_code, [Role.ADVISER])
        offices = {m.organisation_id for m in members}
    if need.taken_office_id:
        offices.add(need.taken_office_id)
    return offices


def _tell_offices(event: str, need: Need, *, offices=None) -> None:
    """The offices' webhooks (docs/webhooks.md): each step of the need, once it commits."""
    taken_office = need.taken_office.slug if need.taken_office_id else None
    data = payloads.need(
        kind="digitalisation",
        id=need.pk,
        status=need.status,
        topic=need.domain,
        departement=need.departement_code,
        company=need.company_name,
        siren=need.siret[:9],
        link=_adviser_link(need),
        received_at=need.received_at,
        taken_at=need.taken_at,
        closed_at=need.closed_at,
        taken_office=taken_office,
    )
    emit(event, data, organisations=_offices_of(need) if offices is None else offices)


def _adviser_link(need: Need) -> str:
    return absolute_url(reverse("needs:adviser_detail", args=[need.pk]))


def _advisers_of(need: Need, day) -> list[str]:
    """The advisers of the offices the need goes to: the office it was redirected to, else
    those who follow its département (those away replaced by who stands in for them)."""
    if need.redirected_to_id:
        users = member_users([need.redirected_to_id], [Role.ADVISER])
    else:
        users = [m.user for m in covering_members(need.departement_code, [Role.ADVISER])]
    return present_or_standing_in(users, day).emails


def escalate(*, now) -> dict[str, int]:
    """Remind the advisers of the needs nobody took after 7 and 14 days, the programme officers
    too from 14 days; abandon them at 30 days (``common.taking``: each step once per need,
    counted from the confirmation of its address)."""
    pending = Need.objects.filter(status=NeedStatus.NEW)
    return taking.escalate(
        pending, now=now, escalate_one=_escalate_one, received=attrgetter("received_at")
    )


def _escalate_one(need: Need, days: int, now) -> None:
    need.escalation_level = days
    if taking.is_abandoned(days):
        need.status = NeedStatus.ABANDONED
        need.closed_at = now
        subject = f"Besoin numérique abandonné ({days} jours sans prise en charge) : "
    else:
        subject = f"Relance ({days} jours sans prise en charge) : "
    need.save(update_fields=["escalation_level", "status", "closed_at"])
    if taking.is_abandoned(days):
        _tell_offices(WebhookEvent.NEED_CLOSED, need)
    advisers = _advisers_of(need, timezone.localdate(now))
    officers = programme_officer_emails(need.departement_code) if taking.is_escalated(days) else []
    emails, unrouted = or_programme_officers(
        list(dict.fromkeys(advisers + officers)), need.departement_code
    )
    send_on_commit(
        emails,
        subject=subject + need.company_name,
        template="needs/email/reminder.txt",
        context={
            "need": need,
            "days": days,
            "link": _adviser_link(need),
            "abandoned": taking.is_abandoned(days),
            "escalated": bool(officers),
            "unrouted": unrouted or not advisers,
        },
        category=MailCategory.REMINDERS,
    )


def invitation_list_create(*, organisation: Organisation, user, name: str) -> InvitationList:
    access.check_list_for(user, organisation)
    return InvitationList.objects.create(organisation=organisation, created_by=user, name=name)


@dataclass(frozen=True)
class Added:
    invitation_list: InvitationList
    count: int


@transaction.atomic
def invitation_add(
    *,
    user,
    unit_ids,
    invitation_list: InvitationList | None = None,
    new_list: str = "",
    organisation: Organisation | None = None,
    need: Need | None = None,
) -> Added:
    """Add firms to a list of the user's offices, or to a new list ``new_list`` made for
    ``organisation`` with them (firms already on it stay as they are); say how many were
    added. From a need, only the providers suggested for it."""
    if need is not None:
        access.check_act_on_need(user, need)
    if invitation_list is None:
        invitation_list = invitation_list_create(
            organisation=organisation, user=user, name=new_list
        )
    access.check_use_list(user, invitation_list)
    if need is not None:
        suggested = set(need.matches.values_list("legal_unit_id", flat=True))
        unit_ids = [u for u in unit_ids if u in suggested]
    present = set(invitation_list.entries.values_list("legal_unit_id", flat=True))
    new = [u for u in dict.fromkeys(unit_ids) if u not in present]
    InvitationEntry.objects.bulk_create(
        [InvitationEntry(invitation_list=invitation_list, legal_unit_id=u, need=need) for u in new]
    )
    return Added(invitation_list, len(new))


@transaction.atomic
def offer_save(
    *,
    unit,
    summary: str,
    domains: list[str],
    departements_served: list[str],
    is_published: bool,
    references: list[dict],
    removed: list[int] = (),
) -> ProviderOffer:
    """Save a firm's offer and its references (``references``: their fields, with the ``id``
    of those that exist; ``removed``: the ids deleted). The directory's search reads the firm's
    texts again; the providers' index is built again by a worker."""
    offer, _created = ProviderOffer.objects.update_or_create(
        legal_unit=unit,
        defaults={
            "summary": summary,
            "domains": domains,
            "departements_served": departements_served,
            "is_published": is_published,
        },
    )
    existing = {r.pk: r for r in offer.references.all()}
    OfferReference.objects.filter(offer=offer, pk__in=removed).delete()
    for fields in references:
        fields = dict(fields)
        pk = fields.pop("id", None)
        if pk in removed:
            continue
        if pk is None:
            OfferReference.objects.create(offer=offer, **fields)
        elif pk in existing:
            OfferReference.objects.filter(pk=pk).update(**fields)
    firm_texts_changed([unit.pk])
    providers_changed()
    return offer


ERASED = "effacé"


@transaction.atomic
def need_erase(*, need: Need) -> Need:
    """Erase the poster's personal data (GDPR); the need stays, closed, for the statistics."""
    need.contact_name = ERASED
    need.contact_email = ""
    need.contact_phone = ""
    need.siret = ""
    need.user = None
    need.status = NeedStatus.CLOSED
    need.closed_at = need.closed_at or timezone.now()
    need.save(
        update_fields=[
            "contact_name",
            "contact_email",
            "contact_phone",
            "siret",
            "user",
            "status",
            "closed_at",
        ]
    )
    return need
