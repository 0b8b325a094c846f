"""Who a person is on the platform, read from their memberships: the predicates every app's
access rules are written with.

The platform's administrators are its superusers: they may do everything a
programme officer, a coordinator or an organiser may. A staff account only
enters the Django admin, with the permissions it was given there.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filiere.accounts.enums import PARTNER_ROLES, OrganisationKind, Role
from filiere.accounts.models import Organisation
from filiere.accounts.selectors import (
    admin_organisation_ids,
    has_team_admin,
    partner_memberships,
    pending_join_requests,
    user_roles,
    verified_emails,
    with_admin_known,
)
from filiere.common.access import allows
from filiere.common.refusals import Refused

# Roles that follow every organisation's work (coordination, the Region's programme officers).
OVERSEEING_ROLES = frozenset({Role.COORDINATOR, Role.PROGRAMME_OFFICER})
# The partners' roles that decide who joins a firm of their territory.
JOIN_DECIDING_ROLES = frozenset({Role.COORDINATOR, Role.ADVISER})


def is_admin(user) -> bool:
    return user.is_active and user.is_superuser


def organisation_ids(user) -> set[int]:
    """The organisations a user belongs to, in any role."""
    return {organisation for organisation, _role in user_roles(user)}


def organisation_ids_in_role(user, role: str) -> set[int]:
    return {organisation for organisation, held in user_roles(user) if held == role}


def partner_organisation_ids(user) -> set[int]:
    """The organisations for which a user acts as a partner of the contract (the Region,
    coordinators, advisers), as opposed to firms."""
    return {organisation for organisation, role in user_roles(user) if role in PARTNER_ROLES}


def has_role(user, organisation_id: int | None, role: str) -> bool:
    return organisation_id is not None and (organisation_id, role) in user_roles(user)


def is_partner(user) -> bool:
    """An administrator, or a member of a partner organisation in a partner role."""
    return is_admin(user) or bool(partner_organisation_ids(user))


def is_programme_officer(user) -> bool:
    """An administrator, or a programme officer of any organisation (the Region)."""
    return is_admin(user) or any(role == Role.PROGRAMME_OFFICER for _o, role in user_roles(user))


def oversees(user) -> bool:
    """Administrators, coordinators and programme officers follow every organisation's work:
    they see every need, project and register entry."""
    return is_admin(user) or any(role in OVERSEEING_ROLES for _o, role in user_roles(user))


# Organisations' teams: who runs them, who decides who joins.


def is_team_admin(user, organisation) -> bool:
    """An active admin member of the organisation."""
    return organisation.pk in admin_organisation_ids(user)


def runs_team(user, organisation) -> bool:
    """An admin of the organisation's team, or of the platform: who runs what the organisation
    plugs into the platform (its API keys, its webhooks)."""
    return is_admin(user) or is_team_admin(user, organisation)


def check_runs_team(user, organisation) -> None:
    if not runs_team(user, organisation):
        raise PermissionDenied


def organisation_run_by(user, slug: str):
    """The organisation whose plug-ins the user runs (404 if none, 403 for another's)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    check_runs_team(user, organisation)
    return organisation


def check_manage_team(user, organisation) -> None:
    """An organisation's admins run its team (invite, set roles and areas, remove); the
    platform's administrators run any. A programme officer brings the first admin into a
    partner organisation that has none yet."""
    if is_admin(user) or is_team_admin(user, organisation):
        return
    if (
        is_programme_officer(user)
        and organisation.kind != OrganisationKind.COMPANY
        and not has_team_admin(organisation)
    ):
        return
    raise PermissionDenied


def can_manage_team(user, organisation) -> bool:
    return allows(check_manage_team, user, organisation)


def check_grant_role(user, organisation, role: str) -> None:
    """A role that oversees every organisation's work (coordinator, programme officer) is
    given only by someone who holds it there, a programme officer or an administrator: an
    adviser who runs their office's team cannot make themselves or a colleague overseers."""
    if role not in OVERSEEING_ROLES or is_admin(user) or is_programme_officer(user):
        return
    if not has_role(user, organisation.pk, role):
        raise Refused(
            "team.role_above_own",
            _(
                "Seul·e un·e %(role)s de l'équipe, un·e chargé·e de mission ou un·e "
                "administrateur·rice de la plateforme peut donner ce rôle."
            )
            % {"role": Role(role).label.lower()},
            field="role",
        )


def can_see_team(user, organisation) -> bool:
    """Members see their team, its runners run it; programme officers see every partner's
    (they bring in the first admin of one that has none)."""
    return (
        can_manage_team(user, organisation)
        or organisation.pk in organisation_ids(user)
        or (organisation.kind != OrganisationKind.COMPANY and can_see_roles(user))
    )


def covers_organisation(user, organisation) -> bool:
    """A coordinator or adviser whose area holds the organisation's département."""
    departement = organisation.departement_code
    if not departement:
        return False
    return any(
        m.role in JOIN_DECIDING_ROLES and m.covers(departement) for m in partner_memberships(user)
    )


def check_join_team(user, organisation) -> None:
    """A person asks to join a firm's team they are not in yet; a partner organisation (a
    chamber, a cluster) invites its team instead."""
    if organisation.pk in organisation_ids(user):
        raise Refused("join.member", _("Vous faites déjà partie de cette organisation."))
    if organisation.kind != OrganisationKind.COMPANY:
        raise Refused(
            "join.partner_by_invitation",
            _(
                "Une organisation partenaire invite elle-même son équipe : demandez-le à ses "
                "administrateur·rices."
            ),
        )


def check_decide_join(user, join_request) -> None:
    """A firm's admins decide who joins it; a firm with no admin yet is claimed from the
    partners' coordinators and advisers who cover its territory or the Region's programme
    officers (those :func:`~filiere.accounts.selectors.join_deciders` tells); whoever runs a
    partner organisation's team decides who joins it."""
    if not join_request.is_pending:
        raise Refused("join.decided", _("Cette demande a déjà été traitée."))
    organisation = join_request.organisation
    if can_manage_team(user, organisation):
        return
    if (
        organisation.kind == OrganisationKind.COMPANY
        and not has_team_admin(organisation)
        and (is_programme_officer(user) or covers_organisation(user, organisation))
    ):
        return
    raise PermissionDenied


def can_decide_join(user, join_request) -> bool:
    return allows(check_decide_join, user, join_request)


def decidable_join_requests(user, organisation_ids=None) -> list:
    """The pending requests to join (of some organisations) that the user may decide, oldest
    first: the list of the decisions page, the team page and the account page's count."""
    pending = with_admin_known(pending_join_requests(organisation_ids))
    return [join_request for join_request in pending if can_decide_join(user, join_request)]


def check_withdraw_join(user, join_request) -> None:
    if join_request.user_id != user.pk:
        raise PermissionDenied
    if not join_request.is_pending:
        raise Refused("join.decided", _("Cette demande a déjà été traitée."))


def check_accept_invitation(user, invitation, now=None) -> None:
    """Only the person signed in with the invited address, verified, accepts it, while it is
    open."""
    if not invitation.is_open(now):
        raise Refused("invitation.closed", _("Cette invitation n'est plus valable."))
    if invitation.email.lower() not in verified_emails(user):
        raise Refused(
            "invitation.other_address",
            _("Cette invitation est adressée à %(email)s : connectez-vous avec cette adresse.")
            % {"email": invitation.email},
        )


def can_see_roles(user) -> bool:
    """Programme officers see who holds which role where, across the partners."""
    return is_programme_officer(user)


def check_see_roles(user) -> None:
    if not can_see_roles(user):
        raise PermissionDenied


def can_record_absence(user) -> bool:
    """A partner's people (advisers above all) record their absences and who stands in."""
    return bool(partner_organisation_ids(user))


def check_absence(user, organisation_id: int, stand_in) -> None:
    """The absent person and their stand-in are both partners' people of the same office."""
    if organisation_id not in partner_organisation_ids(user):
        raise PermissionDenied
    if stand_in.pk == user.pk or organisation_id not in partner_organisation_ids(stand_in):
        raise Refused(
            "absence.stand_in_elsewhere",
            _("Choisissez un·e collègue de la même organisation."),
            field="stand_in",
        )
