"""Who may see and act on what in the needs flow.

* The business reaches its need through the secret link sent to its address
  (``Need.token``); no account is needed.
* A provider's members (any role in the firm's organisation) answer the
  contacts asked of the firm and record their outcome.
* The contract's partners (advisers, coordinators, programme officers) see the
  needs of the départements their offices cover (an office with no area covers
  all) and those redirected to their offices, qualify or redirect them and build
  invitation lists.
* A need goes to the offices whose advisers follow its département, or to the
  office it was redirected to; one adviser of those offices takes it, the first
  to ask, and their office alone closes it (``common.taking``).

Each rule is written once, as a ``check_…`` that the services call first.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filiere.accounts.access import (
    is_admin,
    is_partner,
    organisation_ids,
    organisation_ids_in_role,
    partner_organisation_ids,
)
from filiere.accounts.enums import Role
from filiere.accounts.models import Organisation
from filiere.accounts.selectors import partner_memberships, user_roles
from filiere.common.access import May, allows, get_or_404
from filiere.common.refusals import Refused
from filiere.common.taking import check_held, check_takeable
from filiere.directory.models import LegalUnit
from filiere.needs.enums import MatchStatus, NeedStatus
from filiere.needs.models import InvitationList, Match, Need


def partner_offices(user) -> list[Organisation]:
    """The offices a partner acts for (their needs' territory, their invitation lists)."""
    ids = partner_organisation_ids(user)
    return list(Organisation.objects.filter(id__in=ids)) if ids else []


def can_see_territory_needs(user) -> bool:
    return is_partner(user)


def territory_filter(user) -> Q | None:
    """The needs a partner sees, as a filter; ``None`` when the user sees all. Each of the
    partner's memberships brings its area (the member's own, else the office's)."""
    if is_admin(user):
        return None
    memberships = partner_memberships(user)
    if not memberships:
        raise PermissionDenied
    if any(m.covers_everywhere for m in memberships):
        return None
    return Q(departement_code__in={code for m in memberships for code in m.departements})


def territory_needs(user):
    """The confirmed needs of the départements a partner's offices cover, and those
    redirected to their offices."""
    needs = Need.objects.exclude(status=NeedStatus.UNCONFIRMED)
    scope = territory_filter(user)
    if scope is None:
        return needs
    return needs.filter(scope | Q(redirected_to__in=partner_organisation_ids(user)))


def access_need_as_partner(user, pk: int) -> Need:
    return get_object_or_404(
        territory_needs(user).select_related(
            "commune__departement", "redirected_to", "taken_office", "taken_by"
        ),
        pk=pk,
    )


def access_need_by_token(token) -> Need:
    return get_object_or_404(Need.objects.select_related("commune__departement"), token=token)


def access_match_of_need(need: Need, pk: int) -> Match:
    return get_object_or_404(need.matches.select_related("legal_unit", "need"), pk=pk)


def can_use_inbox(user) -> bool:
    """A firm's members read the contact requests of their firms."""
    return any(role == Role.COMPANY_MEMBER for _organisation, role in user_roles(user))


def provider_units(user) -> list[LegalUnit]:
    """The firms with an offer that a user answers for."""
    organisations = organisation_ids(user)
    if not organisations:
        return []
    return list(LegalUnit.objects.filter(organisation_id__in=organisations, offer__isnull=False))


def answers_for(user, match: Match) -> bool:
    """A member, in any role, of the organisation of the suggested firm."""
    organisation = match.legal_unit.organisation_id
    return organisation is not None and organisation in organisation_ids(user)


def access_match_as_provider(user, pk: int) -> Match:
    match = get_object_or_404(Match.objects.select_related("need__commune", "legal_unit"), pk=pk)
    if not answers_for(user, match):
        raise PermissionDenied
    return match


def access_invitation_list(user, pk) -> InvitationList:
    """One of the invitation lists of the user's offices (an event's organiser picks one by
    its posted id); 404 for another office's."""
    return get_or_404(InvitationList.objects.filter(organisation__in=partner_offices(user)), pk)


def check_contact(need: Need) -> None:
    """The business asks to be put in touch while its need is open."""
    if need.status == NeedStatus.CLOSED:
        raise Refused("need.closed", _("Ce besoin est clos : rouvrez-en un pour contacter."))


def check_answer(user, match: Match) -> None:
    """The provider answers a contact the business asked for, once."""
    if not answers_for(user, match):
        raise PermissionDenied
    if match.status == MatchStatus.SUGGESTED:
        raise Refused(
            "match.no_contact_request", _("Cette entreprise ne vous a pas demandé de contact.")
        )
    if match.status != MatchStatus.REQUESTED:
        raise Refused("match.already_answered", _("Vous avez déjà répondu à cette demande."))
    if not match.need.contact_email:
        raise Refused(
            "match.business_erased",
            _("L'entreprise a effacé ses coordonnées : sa demande n'attend plus de réponse."),
        )


def check_outcome(match: Match) -> None:
    """Both sides say what came of a contact once the provider accepted it."""
    if match.status != MatchStatus.ACCEPTED:
        raise Refused(
            "match.outcome_before_acceptance",
            _("Une suite se donne une fois la demande de contact acceptée."),
        )


def check_act_on_need(user, need: Need) -> None:
    """Partners qualify, redirect and invite from the needs of their territory."""
    if not territory_needs(user).filter(pk=need.pk).exists():
        raise PermissionDenied


def office_to_take(user, need: Need) -> int | None:
    """The user's office among those the need goes to, if they are one of its advisers: the
    office it was redirected to, else those whose advisers follow its département (the
    adviser's own area first, else the office's)."""
    offices = sorted(
        m.organisation_id
        for m in partner_memberships(user)
        if m.role == Role.ADVISER
        and (
            m.organisation_id == need.redirected_to_id
            if need.redirected_to_id
            else m.covers(need.departement_code)
        )
    )
    return offices[0] if offices else None


def check_take(user, need: Need) -> int:
    """An adviser of an office the need goes to takes it while nobody has; returns the
    office."""
    office = office_to_take(user, need)
    if office is None:
        raise PermissionDenied
    check_takeable(need.status)
    return office


def check_move_on(user, need: Need) -> None:
    """Only the office that took the need closes it, while it holds it."""
    if need.taken_office_id is None or need.taken_office_id not in organisation_ids_in_role(
        user, Role.ADVISER
    ):
        raise PermissionDenied
    check_held(need.status)


def check_redirect(user, need: Need) -> None:
    """A partner of its territory redirects a need nobody holds; once taken, only the office
    that holds it hands it on."""
    check_act_on_need(user, need)
    if need.status == NeedStatus.TAKEN:
        check_move_on(user, need)
    elif need.status != NeedStatus.NEW:
        raise Refused("need.redirect_closed", _("Ce besoin est clos : il n'est plus réorienté."))


def can_take(user, need: Need) -> bool:
    return allows(check_take, user, need)


def can_move_on(user, need: Need) -> bool:
    return allows(check_move_on, user, need)


def may_need(user, need: Need) -> May:
    """What a partner may do on a need's page."""
    return May(
        user,
        need,
        take=can_take,
        move_on=can_move_on,
        redirect=lambda u, n: allows(check_redirect, u, n),
    )


def check_list_for(user, organisation: Organisation) -> None:
    """Partners keep invitation lists for the offices they act for."""
    if organisation.pk not in partner_organisation_ids(user):
        raise PermissionDenied


def check_use_list(user, invitation_list: InvitationList) -> None:
    if invitation_list.organisation_id not in partner_organisation_ids(user):
        raise PermissionDenied


def may_follow(need: Need) -> May:
    """What the business may do on its need's page (it holds the link: no user)."""
    return May(None, need, contact=lambda _user, n: allows(check_contact, n))


def may_match(user, match: Match) -> May:
    return May(
        user,
        match,
        answer=lambda u, m: allows(check_answer, u, m),
        outcome=lambda _user, m: allows(check_outcome, m),
    )
