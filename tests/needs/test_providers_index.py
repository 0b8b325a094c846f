"""The providers' index is built by a worker: an offer changed asks for a build, and the
suggestions come from the previous build until it is done, never from a build in the request."""

import pytest

from filiere.common.models import IndexBuild
from filiere.needs import adapters
from filiere.needs.services import offer_save
from filiere.needs.tasks import rebuild_providers_index

pytestmark = pytest.mark.django_db


def suggested(client) -> list[str]:
    body = {"text": "cryogénie des entrepôts", "commune": "76540", "top": 3}
    response = client.post("/api/needs/suggestions", body, content_type="application/json")
    return [row["siren"] for row in response.json()]


def test_an_offer_changed_is_suggested_once_the_worker_has_built(client, world, monkeypatch):
    # The first request's build (tasks run at once here): nobody speaks of cryogenics.
    assert suggested(client)[0] != world.gestion.siren
    asked = []
    monkeypatch.setattr(rebuild_providers_index, "delay", lambda **kw: asked.append(kw))
    monkeypatch.setattr(adapters._providers, "_build", lambda: pytest.fail("A request built"))
    offer_save(
        unit=world.gestion,
        summary="Cryogénie et froid industriel pour les entrepôts",
        domains=["management"],
        departements_served=[],
        is_published=True,
        references=[],
    )
    assert asked  # on commit (run at once in these tests)
    assert suggested(client)[0] != world.gestion.siren  # the previous build answers meanwhile
    monkeypatch.undo()
    rebuild_providers_index(**asked[0])
    assert suggested(client)[0] == world.gestion.siren
    assert IndexBuild.objects.filter(name="providers").count() == 2
