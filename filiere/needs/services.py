"""Writes of the needs flow: post and confirm a need, suggest, contact, answer, record
outcomes, qualify and redirect, invitation lists, offers. Each write checks its rule first
(``access``)."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.enums import Role
from filiere.accounts.models import Organisation
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import covering_emails, member_emails
from filiere.common.refusals import Refused
from filiere.directory.recipients import firm_mail_context, firm_recipients, or_programme_officers
from filiere.needs import access
from filiere.needs.adapters import rank_for_need, suggestion_fields
from filiere.needs.enums import MatchStatus, NeedStatus, Outcome, Side
from filiere.needs.models import (
    InvitationEntry,
    InvitationList,
    Match,
    Need,
    OfferReference,
    ProviderOffer,
)

SUGGESTIONS = 10


def need_link(need: Need) -> str:
    return absolute_url(reverse("needs:follow", args=[need.token]))


@transaction.atomic
def need_post(*, commune, user=None, **fields) -> Need:
    """Record a new need and send the link that confirms its e-mail address."""
    need = Need.objects.create(
        commune=commune,
        departement_code=commune.departement.code,
        user=user,
        status=NeedStatus.UNCONFIRMED,
        **fields,
    )
    send_on_commit(
        [need.contact_email],
        subject="Confirmez votre besoin",
        template="needs/email/confirm.txt",
        context={
            "need": need,
            "link": absolute_url(reverse("needs:confirm", args=[need.token])),
        },
        transactional=True,
    )
    return need


@transaction.atomic
def need_confirm(*, need: Need) -> Need:
    if need.status != NeedStatus.UNCONFIRMED:
        return need
    need.status = NeedStatus.OPEN
    need.confirmed_at = timezone.now()
    need.save(update_fields=["status", "confirmed_at"])
    suggestions_refresh(need=need)
    link = absolute_url(reverse("needs:adviser_detail", args=[need.pk]))
    emails, without_adviser = or_programme_officers(
        covering_emails(need.departement_code, [Role.ADVISER]), need.departement_code
    )
    send_on_commit(
        emails,
        subject=f"Nouveau besoin numérique : {need.company_name}",
        template="needs/email/new_need.txt",
        context={"need": need, "link": link, "without_adviser": without_adviser},
    )
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
    return Match.objects.bulk_create(created)


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


@transaction.atomic
def need_qualify(*, need: Need, user, domain: str, note: str) -> Need:
    access.check_act_on_need(user, need)
    domain_changed = domain != need.domain
    need.domain = domain
    need.adviser_note = note
    need.qualified_by = user
    need.status = NeedStatus.QUALIFIED
    need.save(update_fields=["domain", "adviser_note", "qualified_by", "status"])
    if domain_changed:
        suggestions_refresh(need=need)
    return need


@transaction.atomic
def need_redirect(*, need: Need, user, organisation: Organisation, note: str) -> Need:
    access.check_act_on_need(user, need)
    emails = member_emails([organisation.pk], [Role.ADVISER])
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
    need.adviser_note = note
    need.qualified_by = user
    need.status = NeedStatus.REDIRECTED
    need.save(update_fields=["redirected_to", "adviser_note", "qualified_by", "status"])
    link = absolute_url(reverse("needs:adviser_detail", args=[need.pk]))
    send_on_commit(
        emails,
        subject=f"Besoin réorienté vers vous : {need.company_name}",
        template="needs/email/new_need.txt",
        context={"need": need, "link": link},
    )
    return need


@transaction.atomic
def need_close(*, need: Need) -> Need:
    need.status = NeedStatus.CLOSED
    need.save(update_fields=["status"])
    return need


def invitation_list_create(*, organisation: Organisation, user, name: str) -> InvitationList:
    access.check_list_for(user, organisation)
    return InvitationList.objects.create(organisation=organisation, created_by=user, name=name)


@transaction.atomic
def invitation_add(
    *, invitation_list: InvitationList, user, unit_ids, need: Need | None = None
) -> int:
    """Add firms to the list (firms already on it stay as they are); return how many were
    added. From a need, only the providers suggested for it."""
    access.check_use_list(user, invitation_list)
    if need is not None:
        access.check_act_on_need(user, need)
        suggested = set(need.matches.values_list("legal_unit_id", flat=True))
        unit_ids = [u for u in unit_ids if u in suggested]
    present = set(invitation_list.entries.values_list("legal_unit_id", flat=True))
    new = [u for u in dict.fromkeys(unit_ids) if u not in present]
    InvitationEntry.objects.bulk_create(
        [InvitationEntry(invitation_list=invitation_list, legal_unit_id=u, need=need) for u in new]
    )
    return len(new)


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
    of those that exist; ``removed``: the ids deleted). The offer's date moves, so the
    providers' index is rebuilt."""
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
    need.save(
        update_fields=["contact_name", "contact_email", "contact_phone", "siret", "user", "status"]
    )
    return need
