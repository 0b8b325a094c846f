"""Who may define sectors: the Region's programme officers (and administrators)."""

from filiere.accounts.access import is_programme_officer


def can_define_sectors(user) -> bool:
    return is_programme_officer(user)
