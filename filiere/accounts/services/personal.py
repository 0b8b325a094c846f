"""Personal data of users (GDPR): export everything held about a person, erase an account."""

from django.db import transaction

from filiere.accounts.models import User
from filiere.accounts.personal_data import Section, holders


def user_sections(user: User) -> list[Section]:
    """Everything the platform holds about a person, app by app, section by section."""
    return [section for holder in holders() for section in holder.export(user)]


def user_personal_data(user: User) -> dict:
    """The same, in a portable form (the JSON export): each section under its key."""
    return {section.key: section.as_data() for section in user_sections(user)}


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Erase a person: every app keeps what others need with the person unnamed and deletes
    what is theirs alone, then the account goes.

    The apps erase from the highest floor down, so that an app may still read the person's
    memberships (the lowest floor's) while it erases.
    """
    for holder in reversed(holders()):
        holder.erase(user)
    user.delete()
