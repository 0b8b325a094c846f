from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    """What an organisation's endpoint may be told (the names partners read in
    ``X-Filiere-Event`` and the body's ``event``: never renamed)."""

    NEED_RECEIVED = "need.received", _("Besoin reçu")
    NEED_TAKEN = "need.taken", _("Besoin pris en charge")
    NEED_CLOSED = "need.closed", _("Besoin clos")
    REGISTRATION_APPROVED = "registration.approved", _("Inscription validée")
    SCHEDULE_PUBLISHED = "schedule.published", _("Rendez-vous publiés")
    # Sent by the « Envoyer un test » button alone; not chosen, and never switches off.
    PING = "ping", _("Test")


SUBSCRIBABLE = [event for event in WebhookEvent if event != WebhookEvent.PING]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    SENDING = "sending", _("En cours d'envoi")
    DELIVERED = "delivered", _("Remise")
    FAILED = "failed", _("Échec")
    # Written for an endpoint switched off before a worker took the delivery.
    DROPPED = "dropped", _("Non envoyée (adresse désactivée)")
