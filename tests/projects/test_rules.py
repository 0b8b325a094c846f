"""What each part on a project may do, through the pages: what they are offered is what the
services let them do, and what the services refuse is said on the page it came from."""

import pytest
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.directory.search import directory_changed
from filiere.projects.enums import PartnerKind, ProjectState
from filiere.projects.models import Funding, Milestone, Partner
from filiere.projects.services.workflow import project_move
from tests.factories import OrganisationFactory, UserFactory, member

S = ProjectState


def post(client, project, name, data, *args):
    """A form of the project's page sent from it, the refusals coming back to it."""
    page = reverse("projects:detail", args=[project.pk])
    return client.post(
        reverse(f"projects:{name}", args=[project.pk, *args]),
        data,
        HTTP_REFERER=f"http://testserver{page}",
        follow=True,
    )


FUNDING = {"funder": "Bpifrance", "amount": "50000", "granted_on": "2026-06-01"}


def test_an_officer_records_a_funding_on_a_project_under_way(client, iw, project, advance):
    # The page offered the funding form only while funding was sought or once funded; the
    # service also takes the fundings a project obtains once it is under way, and wins.
    advance(project, S.IN_PROGRESS)
    client.force_login(iw.officer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Enregistrer le financement" in page
    response = post(client, project, "funding_add", FUNDING)
    assert "Financement enregistré." in response.content.decode()
    assert Funding.objects.filter(project=project, funder="Bpifrance").exists()
    # The lead sees the fundings, not the form.
    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Bpifrance" in page
    assert "Enregistrer le financement" not in page


def test_no_funding_is_recorded_before_the_project_is_labelled(client, iw, project, advance):
    advance(project, S.UNDER_REVIEW)
    client.force_login(iw.officer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Enregistrer le financement" not in page
    response = post(client, project, "funding_add", FUNDING)
    assert response.status_code == 200
    assert "On enregistre les financements d&#x27;un projet labellisé." in response.content.decode()
    assert not Funding.objects.exists()
    # Only the officer records fundings.
    client.force_login(iw.lead_member)
    assert (
        client.post(reverse("projects:funding_add", args=[project.pk]), FUNDING).status_code == 403
    )


def test_milestones_are_planned_from_the_draft_and_frozen_once_closed(client, iw, project, advance):
    # The page showed milestones only once the project was funded; the service lets the lead
    # and the officer plan them as soon as the project exists, and wins.
    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Ajouter le jalon" in page
    assert "Comptes rendus" not in page
    post(client, project, "milestone_add", {"title": "Prototype", "due_on": "2026-12-01"})
    milestone = Milestone.objects.get(project=project)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Marquer « Prototype » atteint" in page
    post(client, project, "milestone_done", {}, milestone.pk)
    milestone.refresh_from_db()
    assert milestone.done_on is not None

    advance(project, S.CLOSED)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Prototype" in page
    assert "Ajouter le jalon" not in page
    response = post(client, project, "milestone_add", {"title": "Suite", "due_on": "2027-01-01"})
    assert "Ce projet est clos." in response.content.decode()
    assert Milestone.objects.count() == 1


def test_follow_up_reports_are_written_while_the_project_is_funded_or_under_way(
    client, iw, project, advance
):
    advance(project, S.FUNDED)
    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Enregistrer le compte rendu" in page
    report = {"written_on": "2026-07-01", "text": "Prototype livré."}
    assert (
        "Compte rendu de suivi enregistré."
        in post(client, project, "report_add", report).content.decode()
    )
    project_move(project=project, to=S.IN_PROGRESS, user=iw.officer)
    project_move(project=project, to=S.CLOSED, user=iw.officer, results="Livré.")
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Prototype livré." in page
    assert "Enregistrer le compte rendu" not in page
    response = post(client, project, "report_add", report)
    assert "financé ou en cours" in response.content.decode()


def test_a_move_that_is_not_yours_is_refused_on_the_project_page(client, iw, project):
    client.force_login(iw.officer)
    response = post(client, project, "move", {"move": "submitted", "submitted-to": "submitted"})
    assert response.redirect_chain[-1][0].endswith(reverse("projects:detail", args=[project.pk]))
    assert "revient au porteur du projet" in response.content.decode()
    project.refresh_from_db()
    assert project.state == S.DRAFT


def test_reviewers_are_named_by_the_officer_while_the_project_is_examined(
    client, iw, project, advance
):
    client.force_login(iw.officer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Nommer l'expert" not in page
    response = post(client, project, "reviewer_assign", {"email": "expert@labo.test"})
    assert "déposé ou en expertise" in response.content.decode()
    advance(project, S.SUBMITTED)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Nommer l'expert" in page
    response = post(client, project, "reviewer_assign", {"email": "expert@labo.test"})
    assert "déjà expert de ce projet" in response.content.decode()
    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Nommer l'expert" not in page
    response = client.post(
        reverse("projects:reviewer_assign", args=[project.pk]), {"email": "ami@medimage.test"}
    )
    assert response.status_code == 403


def test_the_officer_reads_the_reviewers_comments_and_only_reviewers_declare(
    client, iw, project, advance
):
    advance(project, S.LABELLED)
    client.force_login(iw.officer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert ": Solide." in page
    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "avis Favorable" in page
    assert "Solide." not in page
    declaration = {"has_conflict": "no"}
    response = client.post(reverse("projects:review_declare", args=[project.pk]), declaration)
    assert response.status_code == 403
    client.force_login(iw.reviewer)
    response = post(client, project, "review_declare", declaration)
    assert "La déclaration d&#x27;intérêts est déjà faite." in response.content.decode()


@pytest.fixture
def overseer(iw):
    """A programme officer of the Region: reads every project, instructs none."""
    return member(OrganisationFactory(slug="region"), Role.PROGRAMME_OFFICER)


def test_suggested_partners_come_per_gap_and_only_editors_add_them(client, iw, draft, overseer):
    project = draft
    directory_changed()  # the directory's firms are indexed again, as after every import
    url = reverse("projects:suggestions", args=[project.pk])
    client.force_login(iw.lead_member)
    page = client.get(url).content.decode()
    assert "Un laboratoire (le consortium n&#x27;en a pas)" in page
    assert "Un utilisateur final du marché « Santé »" in page
    assert "Des compétences numériques complémentaires" in page
    assert "Ajouter Laboratoire GREYC au consortium" in page
    assert "Ajouter Clinique du Parc au consortium" in page
    client.force_login(overseer)
    page = client.get(url).content.decode()
    assert "Laboratoire GREYC" in page
    assert "Ajouter Laboratoire GREYC" not in page
    # The suggestion's button adds the firm with its partner kind; its gap is then filled.
    client.force_login(iw.lead_member)
    post(
        client,
        project,
        "partner_add",
        {"siren": iw.lab.siren, "kind": PartnerKind.LABORATORY, "budget": "0"},
    )
    assert Partner.objects.get(project=project, legal_unit=iw.lab).kind == PartnerKind.LABORATORY
    assert "Un laboratoire" not in client.get(url).content.decode()


def test_an_administrator_instructs_any_project_and_a_staff_account_does_not(
    client, iw, project, advance, overseer
):
    advance(project, S.SUBMITTED)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Nommer l'expert" in page
    # Staff only enters the Django admin: a staff programme officer reads, and instructs nothing.
    overseer.is_staff = True
    overseer.save()
    client.force_login(overseer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Nommer l'expert" not in page
    assert "Lancer l'expertise" not in page
    response = client.post(
        reverse("projects:reviewer_assign", args=[project.pk]), {"email": "ami@medimage.test"}
    )
    assert response.status_code == 403


def test_the_reviewer_is_told_when_their_opinion_is_awaited(client, iw, project, advance):
    advance(project, S.SUBMITTED)
    client.force_login(iw.reviewer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Enregistrer ma déclaration" in page
    assert "Votre expertise est attendue" not in page
    project_move(project=project, to=S.UNDER_REVIEW, user=iw.officer)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Votre expertise est attendue" in page
    assert "Rendre mon avis" not in page
    post(client, project, "review_declare", {"has_conflict": "no"})
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Rendre mon avis" in page
    post(client, project, "review_submit", {"opinion": "favourable", "comments": "Bien."})
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Votre expertise est attendue" not in page
    assert "Rendre mon avis" not in page


def test_a_project_whose_title_holds_a_line_break_still_moves(client, iw, project):
    """The title is in the mail's subject: it raised BadHeaderError, a 500 on every move."""
    from django.core import mail

    project.title = "Diagnostic\nBcc: tous@exemple.test"
    project.save(update_fields=["title"])
    client.force_login(iw.lead_member)
    response = post(client, project, "move", {"move": "submitted", "submitted-to": "submitted"})
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.state == S.SUBMITTED
    assert all("\n" not in m.subject for m in mail.outbox)
    assert any("Diagnostic Bcc: tous@exemple.test" in m.subject for m in mail.outbox)
