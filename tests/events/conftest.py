import pytest


@pytest.fixture(autouse=True)
def _mails(on_commit_at_once):
    """Mails are sent on commit; a test's transaction never commits."""
