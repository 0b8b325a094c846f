"""An organisation's webhook endpoints, the deliveries written for them (the truth a worker
sends from) and each attempt with the receiver's answer."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.webhooks.enums import DeliveryStatus, WebhookEvent


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


class Endpoint(models.Model):
    """A URL of an organisation that receives the events it chose, signed with its secret."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("adresse (URL)"), max_length=500)
    events = models.JSONField(_("événements"), default=list)
    # Kept to sign every delivery (an HMAC needs the key itself); shown once, on the page
    # that made it, never again.
    secret = models.CharField(max_length=80, default=new_secret)
    is_active = models.BooleanField(_("active"), default=True)
    # Deliveries that failed in a row (tests excluded); at FILIERE_WEBHOOK_FAILURES the
    # endpoint is switched off.
    failures = models.PositiveIntegerField(default=0)
    switched_off_at = models.DateTimeField(null=True, blank=True)
    off_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("adresse de webhook")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def was_switched_off(self) -> bool:
        """Off because its deliveries kept failing (not by its admin's choice)."""
        return not self.is_active and self.switched_off_at is not None

    def event_labels(self) -> list[str]:
        return [WebhookEvent(event).label for event in self.events if event in WebhookEvent]


class Delivery(models.Model):
    """One event for one endpoint: the body is written once and signed at each attempt."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    # The occurrence's id, the same for every endpoint told of it (the body's ``id``).
    occurrence = models.UUIDField()
    body = models.TextField()
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a worker should take it (its first send, or the next after a failure): a pending
    # delivery long past it lost its task and is handed to a worker again.
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi de webhook")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "occurrence"], name="webhook_delivery_once_per_endpoint"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"


class Attempt(models.Model):
    """One try of a delivery and what the receiver answered (or why nothing came back)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # The start of the answer's body, as text.
    excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_once")
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
