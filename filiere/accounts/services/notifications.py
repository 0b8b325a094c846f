"""What each person chooses of the mails they receive: how often, per category."""

from django.db import transaction
from django.utils.translation import gettext as _

from filiere.accounts.enums import MailCategory, MailFrequency
from filiere.accounts.models import NotificationPreference, User
from filiere.common.refusals import Refused


def notification_frequencies(user: User) -> dict[str, str]:
    """Every category's frequency for the person (as soon as possible unless chosen)."""
    chosen = dict(user.notification_preferences.values_list("category", "frequency"))
    return {
        category: chosen.get(category, MailFrequency.IMMEDIATE)
        for category in MailCategory.chosen()
    }


@transaction.atomic
def notification_preferences_set(*, user: User, frequencies: dict[str, str]) -> None:
    """Record the person's frequency for each category given (transactional mails are not a
    choice: they always go)."""
    for category, frequency in frequencies.items():
        if category not in MailCategory.chosen() or frequency not in MailFrequency.values:
            raise Refused(
                "notifications.unknown_choice",
                _("Ce choix n'existe pas."),
                field=category,
            )
        NotificationPreference.objects.update_or_create(
            user=user, category=category, defaults={"frequency": frequency}
        )
