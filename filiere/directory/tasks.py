"""The directory's background work: building its search index again."""

from celery import shared_task

from filiere.directory.search import rebuild_index


@shared_task
def rebuild_directory_index(*, requested_at: str | None = None) -> None:
    """Build the search index from the directory as it now is, unless a build started since
    ``requested_at`` (enqueued by an import, a search that found no build, or a delta grown
    too large; repeated, it builds once)."""
    rebuild_index(requested_at=requested_at)
