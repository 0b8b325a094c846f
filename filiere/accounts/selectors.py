"""Reads about users: the memberships that give them their roles, the addresses of members."""

from filiere.accounts.enums import PARTNER_ROLES
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


def partner_memberships(user) -> list[Membership]:
    """A user's active memberships in a partner role, with their organisations."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.active()
        .filter(user=user, role__in=PARTNER_ROLES)
        .select_related("organisation")
    )


def member_emails(organisation_ids, roles=None) -> list[str]:
    """The addresses of the active members of some organisations, optionally in some roles."""
    memberships = Membership.objects.active().filter(organisation_id__in=organisation_ids)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return list(memberships.values_list("user__email", flat=True).distinct())


def covering_members(departement: str, roles, organisation_ids=None) -> list[Membership]:
    """The active members in some roles who follow a département: their own area when they
    have one, else their organisation's (an organisation with no area covers everywhere).

    Areas are lists in a JSON field, read in Python: the partners' teams are a few hundred
    people at most."""
    memberships = (
        Membership.objects.active()
        .filter(role__in=roles)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )
    if organisation_ids is not None:
        memberships = memberships.filter(organisation_id__in=organisation_ids)
    return [m for m in memberships if m.covers(departement)]


def covering_emails(departement: str, roles, organisation_ids=None) -> list[str]:
    """The addresses of :func:`covering_members`, each once."""
    members = covering_members(departement, roles, organisation_ids)
    return list(dict.fromkeys(m.user.email for m in members))
