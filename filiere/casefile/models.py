"""The partners' internal notes on a firm and their follow-up reminders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filiere.casefile.enums import Visibility


class CaseNoteQuerySet(models.QuerySet):
    def readable_by(self, organisation_ids: set[int]):
        """The notes written for every partner, and those of the given organisations."""
        return self.filter(
            Q(visibility=Visibility.PARTNERS)
            | Q(visibility=Visibility.ORGANISATION, organisation__in=organisation_ids)
        )


class CaseNote(models.Model):
    """An internal note on a firm, read by its author's organisation or by every partner of
    the contract, as the author chose. Never shown to the firm nor to the public."""

    legal_unit = models.ForeignKey(
        "directory.LegalUnit",
        on_delete=models.CASCADE,
        related_name="case_notes",
        verbose_name=_("entreprise"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    # The partner organisation the author wrote for: an organisation-only note is its own.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    visibility = models.CharField(_("visible par"), max_length=20, choices=Visibility.choices)
    text = models.TextField(_("note"))
    at = models.DateTimeField(_("le"))
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    objects = CaseNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility=Visibility.PARTNERS) | Q(organisation__isnull=False),
                name="case_note_organisation_only_has_its_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.legal_unit} — {self.at:%d/%m/%Y}"

    @property
    def is_for_partners(self) -> bool:
        return self.visibility == Visibility.PARTNERS


class ReminderQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def due_on(self, day):
        """Not done, and due that day or before (a reminder missed stays due)."""
        return self.open().filter(due_on__lte=day)


class Reminder(models.Model):
    """A follow-up its owner set themself on a firm (« rappeler le 15 mars »): shown on their
    home page from its day until done, and mailed to them on its day."""

    legal_unit = models.ForeignKey(
        "directory.LegalUnit",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("entreprise"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("pour"),
    )
    due_on = models.DateField(_("date"))
    text = models.CharField(_("rappel"), max_length=300)
    created_at = models.DateTimeField(_("créé le"))
    done_at = models.DateTimeField(_("fait le"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("rappel")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "done_at"], name="reminder_due")]

    def __str__(self) -> str:
        return f"{self.due_on:%d/%m/%Y} — {self.text}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
