"""Events of the contract, their registrations and, for matchmaking, the B2B meetings."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.common.history import records
from filiere.directory.enums import Route
from filiere.events.enums import (
    SELECTED_KINDS,
    EventKind,
    EventPhase,
    EventStatus,
    MeetingState,
    Priority,
    RegistrationStatus,
    RequestStatus,
    RunStatus,
)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)


class Event(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    organiser = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, verbose_name=_("organisateur")
    )
    action = models.ForeignKey(
        "programme.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("action du contrat"),
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_closes_on = models.DateField(_("clôture des inscriptions"), null=True, blank=True)
    requires_approval = models.BooleanField(
        _("inscriptions validées par l'organisateur"), default=True
    )
    auto_accept_requests = models.BooleanField(
        _("demandes de rendez-vous acceptées d'office"), default=False
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("rendez-vous au plus par participant"), null=True, blank=True
    )
    selection_criteria = models.TextField(
        _("critères de sélection"),
        blank=True,
        help_text=_("Pour un salon ou une mission : ce qui décide du choix des entreprises."),
    )
    # Organisers' events start as drafts (services.events.event_create); rows written
    # otherwise (the demo, the Django admin, the events that were there before drafts) are
    # published.
    status = models.CharField(
        _("état"), max_length=20, choices=EventStatus.choices, default=EventStatus.PUBLISHED
    )
    schedule_published_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    # Each edit keeps the earlier values, who and why; the schedule's publication is the
    # meetings' news, not an edit of the event.
    history = records(excluded_fields=["schedule_published_at"])
    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("La fin doit suivre le début."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_matchmaking(self) -> bool:
        return self.kind == EventKind.MATCHMAKING

    @property
    def selects_delegation(self) -> bool:
        """Firms apply and are selected (a show, a mission), with a cost share each."""
        return self.kind in SELECTED_KINDS

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_draft(self) -> bool:
        return self.status == EventStatus.DRAFT

    def phase(self, now=None) -> EventPhase:
        """Where the event stands at ``now`` (the clock's time by default): a draft; open
        to registration; closed once the deadline's day is over or the event has begun;
        held once it has ended. Every page and service reads it here, so that nothing has to
        close the registrations on time."""
        now = now or timezone.now()
        if self.is_draft:
            return EventPhase.DRAFT
        if self.ends_at <= now:
            return EventPhase.HELD
        closes = self.registration_closes_on
        if self.starts_at <= now or (closes is not None and timezone.localdate(now) > closes):
            return EventPhase.CLOSED
        return EventPhase.OPEN

    @property
    def phase_label(self) -> str:
        return self.phase().label

    @property
    def registration_is_open(self) -> bool:
        return self.phase() == EventPhase.OPEN


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # NULL once the person erased their account: the registration stays, for the contract's
    # indicators and the organiser's records (events.personal_data).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="registrations",
    )
    company = models.CharField(_("entreprise"), max_length=200)
    legal_unit = models.ForeignKey(
        "directory.LegalUnit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer = models.TextField(_("ce que vous proposez"), blank=True)
    seek = models.TextField(_("ce que vous cherchez"), blank=True)
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    max_meetings = models.PositiveSmallIntegerField(_("rendez-vous au plus"), null=True, blank=True)
    motivation = models.TextField(_("candidature : motivation et objectifs"), blank=True)
    decision_note = models.TextField(_("motif de la décision"), blank=True)
    cost_share_eur = models.DecimalField(
        _("reste à charge de l'entreprise (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    unavailable = models.ManyToManyField(
        "Slot", blank=True, related_name="+", verbose_name=_("créneaux indisponibles")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(_("arrivé à"), null=True, blank=True)
    feedback_asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_unique_person")
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.event}"

    @property
    def email(self) -> str:
        """The person's address; none once they erased their account (nobody to write to)."""
        return self.user.email if self.user_id else ""


class Slot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    tables = models.PositiveSmallIntegerField(_("tables"))

    class Meta:
        verbose_name = _("créneau")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%H:%M}–{end:%H:%M}"


class MeetingRequest(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sent")
    target = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="received")
    priority = models.PositiveSmallIntegerField(
        _("priorité"), choices=Priority.choices, default=Priority.WANT
    )
    status = models.CharField(
        _("état"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demande de rendez-vous")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "target"], name="request_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(requester=models.F("target")), name="request_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester.company} → {self.target.company}"


class Meeting(models.Model):
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="meetings")
    table = models.PositiveSmallIntegerField(_("table"))
    state = models.CharField(
        _("état"), max_length=20, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    absent = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("absent"),
    )

    class Meta:
        verbose_name = _("rendez-vous")
        ordering = ["slot__starts_at", "table"]
        constraints = [
            # A no-show's table is free again, for a replacement meeting.
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=~models.Q(state="no_show"),
                name="meeting_one_per_table",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} ({self.slot}, table {self.table})"

    @property
    def present(self) -> Registration:
        """In a no-show, the participant who came."""
        request = self.request
        return request.target if self.absent_id == request.requester_id else request.requester


# The scheduler's time limit for a run started from the organiser's page.
SCHEDULE_SECONDS = settings.FILIERE_SCHEDULE_SECONDS
# A run is tried this many times when its worker stops under it (killed, machine restarted).
RUN_ATTEMPTS = 2
# A running run's worker writes its heartbeat every second: silent this long, it stopped.
RUN_SILENT = timedelta(seconds=settings.FILIERE_RUN_SILENT_SECONDS)
# A run no worker took in this long is failed, saying so: no page follows it forever.
RUN_UNCLAIMED = timedelta(minutes=10)
# Past this, the organiser's page says no worker has taken the run yet.
RUN_WAITING = timedelta(seconds=30)


class ScheduleRun(models.Model):
    """A run of the scheduler: queued by the organiser's page, run by a worker (which writes
    its progress and a heartbeat), watched (``scheduling.runs_watch``) so that a run whose
    worker stopped is run again or failed with the reason, never left running."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(auto_now_add=True)
    # When it was (last) put in the queue: a run taken over after its worker stopped waits
    # again from then.
    queued_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # A new run keeps the published meetings unless the organiser says otherwise.
    keep_published = models.BooleanField(default=True)
    seconds = models.FloatField(default=SCHEDULE_SECONDS)
    attempt = models.PositiveSmallIntegerField(default=1)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    progress = models.CharField(max_length=200, blank=True)
    objective = models.PositiveIntegerField(null=True, blank=True)
    upper_bound = models.PositiveIntegerField(null=True, blank=True)
    greedy = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} — {self.started_at:%d/%m %H:%M}"

    @property
    def is_running(self) -> bool:
        """Queued or running: the page keeps following it (the watch ends it if its worker
        stops)."""
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def is_queued(self) -> bool:
        return self.status == RunStatus.QUEUED

    @property
    def is_waiting_long(self) -> bool:
        """Queued for a while: no worker seems to be taking runs."""
        return self.status == RunStatus.QUEUED and timezone.now() - self.queued_at > RUN_WAITING

    @property
    def is_done(self) -> bool:
        return self.status == RunStatus.DONE

    @property
    def is_cancelled(self) -> bool:
        return self.status == RunStatus.CANCELLED


class Feedback(models.Model):
    """A participant's opinion after the event."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(_("note"))
    useful_meetings = models.PositiveSmallIntegerField(
        _("rendez-vous utiles"), null=True, blank=True
    )
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avis sur l'événement")

    def __str__(self) -> str:
        return f"{self.registration} — {self.rating}/5"


class Invitation(models.Model):
    """A firm invited to the event (from an adviser's invitation list), once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    legal_unit = models.ForeignKey(
        "directory.LegalUnit", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)
    # Who received it (the firm's members, its contact address, the advisers of its
    # territory…): the organiser reads it beside the firm.
    delivered_to = models.CharField(
        _("transmis à"), max_length=20, choices=Route.choices, blank=True
    )

    class Meta:
        verbose_name = _("invitation")
        constraints = [
            models.UniqueConstraint(fields=["event", "legal_unit"], name="invitation_once_per_firm")
        ]

    def __str__(self) -> str:
        return f"{self.event} — {self.legal_unit}"
