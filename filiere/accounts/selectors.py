"""Reads about users: the memberships that give them their roles."""

from filiere.accounts.enums import PARTNER_ROLES, Role
from filiere.accounts.models import Membership


def user_roles(user) -> frozenset[tuple[int, str]]:
    """The (organisation id, role) pairs of a user's active memberships, read once per request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_filiere_roles", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.active().filter(user=user).values_list("organisation_id", "role")
        )
        user._filiere_roles = cached
    return cached


def partner_organisation_ids(user) -> set[int]:
    """The organisations for which a user acts as a partner of the contract."""
    return {org for org, role in user_roles(user) if role in PARTNER_ROLES}


# Roles that follow every organisation's work (coordination, the Region's programme officers).
OVERSEEING_ROLES = frozenset({Role.COORDINATOR, Role.PROGRAMME_OFFICER})


def oversees(user) -> bool:
    """Staff, coordinators and programme officers see every need, project and register entry."""
    return user.is_staff or any(role in OVERSEEING_ROLES for _o, role in user_roles(user))


def has_role(user, organisation_id: int | None, role: str) -> bool:
    return organisation_id is not None and (organisation_id, role) in user_roles(user)


def member_emails(organisation_ids, roles=None) -> list[str]:
    """The addresses of the active members of some organisations, optionally in some roles."""
    memberships = Membership.objects.active().filter(organisation_id__in=organisation_ids)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return list(memberships.values_list("user__email", flat=True).distinct())
