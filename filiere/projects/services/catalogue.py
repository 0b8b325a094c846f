"""The aid catalogue: its schemes edited by hand, the saved searches and the alerts they send
when new schemes appear."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.enums import MailCategory
from filiere.accounts.notifications import absolute_url, send_mail_to
from filiere.projects.models import AidScheme, SavedSearch
from filiere.projects.selectors import new_schemes, search_schemes

# The catalogue's search criteria a saved search keeps.
CRITERIA = ("q", "market", "size", "form", "level", "open_only")


def scheme_edit(*, scheme: AidScheme) -> None:
    """Save a scheme edited by hand; an imported one is then marked edited here, so that the
    import from its source keeps it as it is."""
    if scheme.is_imported:
        scheme.edited_here = True
    scheme.save()


def search_save(*, user, name: str, criteria: dict, now=None) -> SavedSearch:
    """Save the search; only the schemes published from now on are announced."""
    kept = {k: criteria[k] for k in CRITERIA if criteria.get(k)}
    return SavedSearch.objects.create(
        user=user, name=name, criteria=kept, alerted_until=now or timezone.now()
    )


def search_delete(*, search: SavedSearch) -> None:
    search.delete()


def send_alerts(*, now=None) -> dict[str, int]:
    """Mail each saved search's owner the schemes published since its last alert (once each)."""
    now = now or timezone.now()
    counts = {"recherches enregistrées": 0, "alertes envoyées": 0}
    for search in SavedSearch.objects.select_related("user"):
        counts["recherches enregistrées"] += 1
        with transaction.atomic():
            locked = SavedSearch.objects.select_for_update().get(pk=search.pk)
            found = search_schemes(
                locked.criteria,
                today=timezone.localdate(now),
                schemes=new_schemes(after=locked.alerted_until, until=now),
            )
            locked.alerted_until = now
            locked.save(update_fields=["alerted_until"])
            if found:
                counts["alertes envoyées"] += send_mail_to(
                    [search.user.email],
                    subject=f"Nouveaux dispositifs d'aide : {locked.name}",
                    template="projects/email/aid_alert.txt",
                    context={
                        "search": locked,
                        "schemes": found,
                        "link": absolute_url(reverse("projects:catalogue")),
                    },
                    category=MailCategory.AID_ALERTS,
                )
    return counts
