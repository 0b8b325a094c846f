"""Personal data of users (GDPR): export everything held about a person, erase an account."""

from django.db import transaction

from filiere.accounts.models import User
from filiere.accounts.personal_data import sections


def user_personal_data(user: User) -> dict:
    """Everything the platform holds about a person, in a portable form."""
    data = {
        "compte": {
            "email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
        },
        "appartenances": [
            {
                "organisation": m.organisation.name,
                "role": str(m.get_role_display()),
                "active": m.is_active,
            }
            for m in user.memberships.select_related("organisation")
        ],
    }
    for name, section in sections().items():
        data[name] = section(user)
    return data


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Delete the account and its memberships; what the person recorded stays, unsigned."""
    user.delete()
