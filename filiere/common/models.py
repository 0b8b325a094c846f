"""What the platform keeps for itself: the forms already sent, so that none is taken twice;
the indexes its workers built."""

from django.db import models


class FormSubmission(models.Model):
    """A form's one-time token, claimed by the request that sent it (``common.idempotency``)."""

    token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return str(self.token)


class IndexBuild(models.Model):
    """An index built by a worker (``common.indexes``): where its files are stored
    (``indexes/<artifact>/<file>`` in the default storage), the version of the data it was
    built for, when it started reading them."""

    name = models.CharField(max_length=40)
    artifact = models.CharField(max_length=100, unique=True)
    files = models.JSONField(default=list)
    version = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField()
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["name", "-started_at"], name="index_build_latest")]

    def __str__(self) -> str:
        return self.artifact
