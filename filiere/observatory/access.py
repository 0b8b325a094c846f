"""Who may define sectors: the Region's programme officers (and staff)."""

from filiere.accounts.enums import Role
from filiere.accounts.selectors import user_roles


def can_define_sectors(user) -> bool:
    return user.is_staff or any(role == Role.PROGRAMME_OFFICER for _org, role in user_roles(user))
