"""A need that one adviser takes in charge: its statuses, its notes and the escalation when
nobody takes it. Support needs and digitalisation needs both follow it; each app says who may
take (its ``access.check_take``) and whom its escalation tells.

received (new) → taken → closed with an outcome; abandoned when nobody took it in time.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from operator import attrgetter

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filiere.common.refusals import Refused


class TakingStatus(models.TextChoices):
    NEW = "new", gettext_lazy("Nouveau")
    TAKEN = "taken", gettext_lazy("Pris en charge")
    DONE = "done", gettext_lazy("Traité")
    DONE_WITHOUT_HELP = "done_without_help", gettext_lazy("Résolu sans aide")
    NOT_REACHABLE = "not_reachable", gettext_lazy("Injoignable")
    NOT_FOR_US = "not_for_us", gettext_lazy("Hors de notre champ")
    ABANDONED = "abandoned", gettext_lazy("Abandonné (30 jours sans prise en charge)")


# The statuses that close a need, set by the adviser who took it.
CLOSING_STATUSES = (
    TakingStatus.DONE,
    TakingStatus.DONE_WITHOUT_HELP,
    TakingStatus.NOT_REACHABLE,
)


def closing_choices(*more) -> list[tuple[str, str]]:
    """The choices of a form that closes a need: none chosen at first, since each one closes
    it and may ask the firm its opinion (a preselected « Traité » closed needs by mistake)."""
    return [("", gettext_lazy("— Choisir —"))] + [
        (status.value, status.label) for status in (*CLOSING_STATUSES, *more)
    ]


# Days without anyone taking a need → what happens: reminders, the second one escalated to
# those above the advisers, then the need is abandoned.
REMINDER_DAYS = (7, 14)
ABANDONED_DAYS = 30


def check_takeable(status: str) -> None:
    """A need is taken while nobody has taken it (the first to take it has it)."""
    if status != TakingStatus.NEW:
        raise Refused("taking.already_taken", _("Ce besoin est déjà pris en charge ou clos."))


def check_held(status: str) -> None:
    """A need is closed, handed back or noted by who took it while they hold it."""
    if status != TakingStatus.TAKEN:
        raise Refused("taking.not_taken", _("Ce besoin n'est pas en cours de traitement."))


def check_closing(status: str, *, also: Iterable[str] = ()) -> None:
    if status not in CLOSING_STATUSES and status not in also:
        raise Refused(
            "taking.unknown_status", _("Choisissez un état qui clôt le besoin."), field="status"
        )


def is_escalated(days: int) -> bool:
    """From the last reminder on, those above the advisers are told too."""
    return days >= REMINDER_DAYS[-1]


def is_abandoned(days: int) -> bool:
    return days >= ABANDONED_DAYS


def escalate(
    pending,
    *,
    now: datetime,
    escalate_one: Callable[[object, int, datetime], None],
    received: Callable[[object], datetime] = attrgetter("created_at"),
) -> dict[str, int]:
    """Run the escalation over the needs nobody took (``pending``, each with its
    ``escalation_level``, and received at ``received(need)``): each step happens once per
    need, the latest it has reached (a need first seen late jumps to its step), each need in
    its own transaction. ``escalate_one(need, days, now)`` writes and tells. Returns the
    summary's counts."""
    labels = {days: f"relances à {days} jours" for days in REMINDER_DAYS}
    labels[ABANDONED_DAYS] = "abandonnés"
    counts = dict.fromkeys(labels.values(), 0)
    steps = sorted(labels.items(), reverse=True)  # the latest step a need has reached first
    for need in pending:
        age = now - received(need)
        for days, label in steps:
            if age >= timedelta(days=days) and need.escalation_level < days:
                with transaction.atomic():
                    escalate_one(need, days, now)
                counts[label] += 1
                break
    return counts


class NoteKind(models.TextChoices):
    QUALIFICATION = "qualification", gettext_lazy("Qualification")
    REDIRECT = "redirect", gettext_lazy("Réorientation")
    CLOSING = "closing", gettext_lazy("Clôture")
    NOTE = "note", gettext_lazy("Note")


class Note(models.Model):
    """One dated note on a need, by its author: added, never overwritten. Each app's note
    model adds the link to its need."""

    at = models.DateTimeField(gettext_lazy("le"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("auteur"),
    )
    kind = models.CharField(
        gettext_lazy("nature"), max_length=20, choices=NoteKind.choices, default=NoteKind.NOTE
    )
    text = models.TextField(gettext_lazy("note"))

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.at:%d/%m/%Y}"
