import pytest

from tests.worlds import innovation_world


@pytest.fixture
def iw(db, on_commit_at_once):
    return innovation_world()


@pytest.fixture
def project(iw):
    from filiere.projects.services.projects import project_create

    return project_create(
        user=iw.lead_member,
        lead=iw.lead,
        cluster=iw.tes,
        title="Diagnostic par IA en imagerie médicale",
        summary="Aider les radiologues par l'intelligence artificielle en imagerie médicale.",
        market="health",
        trl=4,
    )
