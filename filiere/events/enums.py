from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    MATCHMAKING = "matchmaking", _("Rendez-vous d'affaires")
    TRADE_SHOW = "trade_show", _("Salon (stand régional)")
    MISSION = "mission", _("Mission de prospection")
    PROMOTION = "promotion", _("Événement de promotion")
    WEBINAR = "webinar", _("Webinaire")


class EventStatus(models.TextChoices):
    """What the organiser decides: a draft is theirs alone until they publish it."""

    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


class EventPhase(models.TextChoices):
    """Where a published event stands, read from the clock (``Event.phase``): no task
    closes its registrations, the deadline and the start do."""

    DRAFT = "draft", _("Brouillon")
    OPEN = "open", _("Inscriptions ouvertes")
    CLOSED = "closed", _("Inscriptions closes")
    HELD = "held", _("Terminé")


# Events where firms apply and are selected (a delegation), with a cost share each.
SELECTED_KINDS = ("trade_show", "mission")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Inscrit")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    REFUSED = "refused", _("Refusé")
    CANCELLED = "cancelled", _("Annulé")


class Priority(models.IntegerChoices):
    MUST = 3, _("Indispensable")
    WANT = 2, _("Souhaité")
    COULD = 1, _("Si possible")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    ACCEPTED = "accepted", _("Accepté")
    DECLINED = "declined", _("Décliné")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    NO_SHOW = "no_show", _("Absent")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("En attente d'un worker")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Annulé")
