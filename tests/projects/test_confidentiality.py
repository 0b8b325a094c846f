"""Who sees the expertise: the experts' names and opinions are the cluster officer's; the
lead sees the opinions once the decision is made, unnamed unless the cluster says; a
conflicted expert loses the project; coordinators see their own organisation's projects."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.projects.enums import ProjectState
from filiere.projects.services.reviews import review_assign
from filiere.projects.services.workflow import project_move
from tests.factories import OrganisationFactory, member

S = ProjectState
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page_of(client, project):
    return client.get(reverse("projects:detail", args=[project.pk]))


def test_a_conflicted_expert_loses_the_project_and_its_documents(client, iw, project, advance):
    client.force_login(iw.lead_member)
    client.post(
        reverse("projects:document_add", args=[project.pk]),
        {"file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")},
    )
    document = project.documents.get()
    advance(project, S.SUBMITTED)
    review_assign(project=project, user=iw.officer, reviewer=iw.conflicted)
    client.force_login(iw.conflicted)
    assert page_of(client, project).status_code == 200
    response = client.post(
        reverse("projects:review_declare", args=[project.pk]),
        {"has_conflict": "yes", "statement": "Associé du porteur"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("projects:list")
    assert "ce projet ne vous est plus accessible" in response.content.decode()
    assert page_of(client, project).status_code == 404
    assert client.get(reverse("projects:document", args=[document.pk])).status_code == 404
    assert "Diagnostic par IA" not in client.get(reverse("projects:list")).content.decode()
    # The officer still sees the declaration, with the expert's name.
    client.force_login(iw.officer)
    page = page_of(client, project).content.decode()
    assert "ami@medimage.test" in page or str(iw.conflicted) in page
    assert "conflit d'intérêts déclaré" in page


def test_the_lead_sees_the_opinions_once_decided_and_the_names_only_if_disclosed(
    client, iw, project, advance
):
    advance(project, S.UNDER_REVIEW)  # the expert gives a favourable opinion, « Solide. »
    expert = str(iw.reviewer)
    client.force_login(iw.lead_member)
    during = page_of(client, project).content.decode()
    assert expert not in during
    assert "avis Favorable" not in during
    assert "communiqués une fois la décision prise" in during

    client.force_login(iw.officer)
    officer_page = page_of(client, project).content.decode()
    assert expert in officer_page
    assert "Solide." in officer_page
    assert "Montrer le nom des experts au porteur" not in officer_page  # not decided yet

    project_move(project=project, to=S.LABELLED, user=iw.officer, reason="Oui", committee="TES")
    client.force_login(iw.lead_member)
    after = page_of(client, project).content.decode()
    assert "Expert 1" in after
    assert "avis Favorable" in after
    assert expert not in after
    assert "Solide." not in after  # the comments stay the cluster's

    client.force_login(iw.officer)
    client.post(reverse("projects:reviewers_disclose", args=[project.pk]), {"disclosed": "yes"})
    client.force_login(iw.lead_member)
    assert expert in page_of(client, project).content.decode()
    # Only the officer discloses.
    response = client.post(
        reverse("projects:reviewers_disclose", args=[project.pk]), {"disclosed": "no"}
    )
    assert response.status_code == 403


def test_coordinators_see_the_projects_their_organisation_instructs(client, iw, project):
    other_cluster = OrganisationFactory(slug="nwx", name="Normandy Web Expert")
    client.force_login(member(other_cluster, Role.COORDINATOR))
    assert page_of(client, project).status_code == 404
    assert "Diagnostic par IA" not in client.get(reverse("projects:list")).content.decode()
    client.force_login(member(OrganisationFactory(slug="region"), Role.PROGRAMME_OFFICER))
    assert page_of(client, project).status_code == 200
    client.force_login(iw.officer)
    assert page_of(client, project).status_code == 200


def test_a_document_past_the_limit_is_cut_off_while_it_streams_in(client, iw, project, settings):
    """The file stops being read at the limit (it used to be stored whole, 300 MB on disk,
    before the 10 MB check)."""
    from filiere.common.uploads import SizeLimitUploadHandler

    seen = []
    receive = SizeLimitUploadHandler.receive_data_chunk

    def counting(handler, raw_data, start):
        seen.append(len(raw_data))
        return receive(handler, raw_data, start)

    settings.FILIERE_UPLOAD_MAX_BYTES = 1024 * 1024
    SizeLimitUploadHandler.receive_data_chunk = counting
    try:
        client.force_login(iw.lead_member)
        big = SimpleUploadedFile("plan.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf")
        response = client.post(
            reverse("projects:document_add", args=[project.pk]),
            {"file": big},
            HTTP_REFERER=f"http://testserver{reverse('projects:detail', args=[project.pk])}",
            follow=True,
        )
    finally:
        SizeLimitUploadHandler.receive_data_chunk = receive
    assert "Le fichier dépasse 10 Mo." in response.content.decode()
    assert not project.documents.exists()
    assert sum(seen) <= settings.FILIERE_UPLOAD_MAX_BYTES + 64 * 1024
