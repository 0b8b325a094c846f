"""An index built by a worker: loaded by the processes when a build is recorded, never built
by them; a stale one is used while a build is asked for, once."""

import logging
from pathlib import Path

import pytest
from django.test import override_settings
from kombu.exceptions import OperationalError as BrokerUnreachable

from filiere.common.indexes import KEPT_BUILDS, PersistedIndex
from filiere.common.models import IndexBuild

pytestmark = pytest.mark.django_db


class Worker:
    """Stands for a Celery task: ``delay`` records what was asked, ``run`` builds."""

    def __init__(self):
        self.asked = []
        self.index = None
        self.broker_down = False

    def delay(self, **options):
        if self.broker_down:
            raise BrokerUnreachable("Connection refused")
        self.asked.append(options)

    def run(self, **options):
        self.index.rebuild(**options)


WORKER = Worker()


@pytest.fixture
def words(tmp_path):
    data = {"version": 1, "builds": 0}

    def build():
        data["builds"] += 1
        return f"index {data['version']}"

    def save(value, folder):
        (folder / "value.txt").write_text(value)

    def load(folder):
        return (folder / "value.txt").read_text()

    WORKER.asked.clear()
    WORKER.broker_down = False
    WORKER.index = PersistedIndex(
        "words",
        task="tests.common.test_indexes.WORKER",
        build=build,
        save=save,
        load=load,
        version=lambda: data["version"],
    )
    # This machine's copies, and the storage every machine reads.
    with override_settings(FILIERE_INDEX_DIR=tmp_path / "here", MEDIA_ROOT=tmp_path / "media"):
        yield WORKER.index, data


def test_before_a_build_nothing_is_built_and_a_worker_is_asked_once(words):
    index, data = words
    assert index.get() is None
    assert index.get() is None
    assert len(WORKER.asked) == 1
    assert data["builds"] == 0


def test_a_broker_that_does_not_take_the_build_is_logged_and_the_search_goes_on(words, caplog):
    index, data = words
    WORKER.broker_down = True
    with caplog.at_level(logging.ERROR, logger="filiere.common.indexes"):
        assert index.get() is None
    assert "Build of index words not enqueued" in caplog.text


def test_a_build_is_loaded_and_a_stale_one_used_while_the_next_is_built(words):
    index, data = words
    WORKER.run()
    assert index.get().value == "index 1"
    data["version"] = 2
    assert index.get().value == "index 1"
    assert index.get().value == "index 1"
    assert len(WORKER.asked) == 1
    WORKER.run(**WORKER.asked[0])
    assert index.get().value == "index 2"
    assert data["builds"] == 2


def test_a_build_asked_before_the_latest_started_is_not_redone(words):
    index, data = words
    WORKER.run()
    data["version"] = 2
    index.get()
    asked = WORKER.asked[0]
    WORKER.run()
    WORKER.run(**asked)
    assert data["builds"] == 2


def test_a_process_of_another_machine_fetches_the_build_from_the_storage(words, tmp_path):
    index, data = words
    WORKER.run()
    other = PersistedIndex(
        "words",
        task="tests.common.test_indexes.WORKER",
        build=lambda: pytest.fail("built"),
        save=lambda value, folder: None,
        load=lambda folder: (folder / "value.txt").read_text(),
    )
    elsewhere = tmp_path / "elsewhere"
    with override_settings(FILIERE_INDEX_DIR=elsewhere):
        assert other.get().value == "index 1"
    assert [p.name for p in elsewhere.iterdir()] == [IndexBuild.objects.get().artifact]


def test_old_builds_are_removed(words, settings):
    index, data = words
    for _ in range(KEPT_BUILDS + 2):
        WORKER.run()
    assert IndexBuild.objects.filter(name="words").count() == KEPT_BUILDS
    kept = sorted(IndexBuild.objects.values_list("artifact", flat=True))
    assert sorted(p.name for p in settings.FILIERE_INDEX_DIR.iterdir()) == kept
    stored = Path(settings.MEDIA_ROOT) / "indexes"
    assert kept == sorted(p.name for p in stored.iterdir())


def test_a_build_this_process_cannot_read_is_said_and_the_previous_kept(words, caplog, settings):
    index, data = words
    WORKER.run()
    assert index.get().value == "index 1"
    data["version"] = 2
    WORKER.run()
    latest = IndexBuild.objects.latest("started_at")
    (settings.FILIERE_INDEX_DIR / latest.artifact / "value.txt").unlink()
    with caplog.at_level(logging.ERROR, logger="filiere.common.indexes"):
        assert index.get().value == "index 1"
    assert latest.artifact in caplog.text
