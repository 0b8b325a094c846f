"""Reads about users: the memberships that give them their roles, the addresses of members."""

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


def member_emails(organisation_ids, roles=None) -> list[str]:
    """The addresses of the active members of some organisations, optionally in some roles."""
    memberships = Membership.objects.active().filter(organisation_id__in=organisation_ids)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return list(memberships.values_list("user__email", flat=True).distinct())
