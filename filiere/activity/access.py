"""Who sees the offices' activity: the programme officers (and the platform's admins) see
every office's; an office's managers (the admins of its team) see their office's."""

from django.core.exceptions import PermissionDenied

from filiere.accounts.access import is_programme_officer, partner_organisation_ids
from filiere.accounts.selectors import admin_organisation_ids
from filiere.activity.selectors import receiving_offices


def activity_offices(user):
    """The offices whose activity a user sees (none for most)."""
    offices = receiving_offices()
    if is_programme_officer(user):
        return offices
    managed = admin_organisation_ids(user) & partner_organisation_ids(user)
    return offices.filter(pk__in=managed) if managed else offices.none()


def can_see_activity(user) -> bool:
    """Asked by the menu of every page: nothing more than the user's roles is read for a
    programme officer or a firm's member; a partner's team admins are read once per request."""
    if is_programme_officer(user):
        return True
    if not partner_organisation_ids(user):
        return False
    return activity_offices(user).exists()


def check_see_activity(user) -> None:
    if not can_see_activity(user):
        raise PermissionDenied
