"""Organisations' API keys, the calls made with them, and the answers kept for the
``Idempotency-Key`` of their POSTs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A key an organisation's admin created. Only ``prefix`` (to find it) and the SHA-256 of
    its secret are kept: the secret is shown once, at creation."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(_("préfixe"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("droits"), default=list)
    # The key acts with its creator's rights within the organisation, never more.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernier appel"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ApiCall(models.Model):
    """One call made with a key: what was asked and how it was answered."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="calls")
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    method = models.CharField(_("méthode"), max_length=10)
    route = models.CharField(_("route"), max_length=200)
    status = models.PositiveSmallIntegerField(_("réponse"))
    duration_ms = models.PositiveIntegerField(_("durée (ms)"))

    class Meta:
        verbose_name = _("appel d'API")
        verbose_name_plural = _("appels d'API")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["key", "-at"], name="api_call_latest")]

    def __str__(self) -> str:
        return f"{self.method} {self.route} → {self.status}"


class IdempotentRequest(models.Model):
    """A POST sent with an ``Idempotency-Key``: the body it came with and the answer given, so
    that the same request sent again gets the same answer and creates nothing."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    idempotency_key = models.CharField(max_length=200)
    route = models.CharField(max_length=200)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "idempotency_key"], name="idempotent_request_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.idempotency_key
