"""Who a person is on the platform, read from their memberships: the predicates every app's
access rules are written with.

The platform's administrators are its superusers: they may do everything a
programme officer, a coordinator or an organiser may. A staff account only
enters the Django admin, with the permissions it was given there.
"""

from filiere.accounts.enums import PARTNER_ROLES, Role
from filiere.accounts.selectors import user_roles

# Roles that follow every organisation's work (coordination, the Region's programme officers).
OVERSEEING_ROLES = frozenset({Role.COORDINATOR, Role.PROGRAMME_OFFICER})


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
