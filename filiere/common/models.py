"""What the platform keeps for itself: the forms already sent, so that none is taken twice."""

from django.db import models


class FormSubmission(models.Model):
    """A form's one-time token, claimed by the request that sent it (``common.idempotency``)."""

    token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return str(self.token)
