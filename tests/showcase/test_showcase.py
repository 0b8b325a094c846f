"""The sector's showcase over HTTP: the lead's consent (published, updated, withdrawn; only a
labelled project), what the public pages show and never show, their query counts, the
feeds and the widget."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from filiere.directory.enums import LabelRequestStatus
from filiere.projects.enums import ProjectState
from filiere.projects.models import Project
from filiere.projects.selectors import project_history
from filiere.projects.services.showcase import PUBLISHED, UNPUBLISHED, showcase_publish
from tests.factories import LegalUnitFactory
from tests.showcase.projects import draft, labelled

HOME = reverse("showcase:home")
PUBLIC_SUMMARY = "Une IA qui aide les radiologues à lire les images plus vite."


def publish(client, project, summary=PUBLIC_SUMMARY):
    return client.post(
        reverse("projects:showcase_publish", args=[project.pk]),
        {"showcase-public_summary": summary},
    )


def test_the_lead_publishes_a_labelled_project_and_the_showcase_shows_only_what_is_public(
    client, iw
):
    project = labelled(
        iw,
        title="Diagnostic par IA",
        fundings=[("Région Normandie", 100000), ("Bpifrance", 30000), ("Région Normandie", 20000)],
    )
    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Publier dans la vitrine" in page

    response = publish(client, project)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.is_on_showcase
    # The choice is in the project's history: who, when, why.
    (entry, *_older) = project_history(project)
    assert entry.reason == PUBLISHED
    assert entry.by == str(iw.lead_member)

    client.logout()
    home = client.get(HOME).content.decode()
    assert "Diagnostic par IA" in home
    assert PUBLIC_SUMMARY in home
    shown = client.get(reverse("showcase:project", args=[project.pk])).content.decode()
    for public in (
        PUBLIC_SUMMARY,
        "MedImage",
        "Laboratoire GREYC",
        "Santé",
        "12/03/2026",
        "Région Normandie : 120\xa0000 €",
        "Bpifrance : 30\xa0000 €",
        "150\xa0000 €",
    ):
        assert public in shown, public
    # Nothing of the confidential file: its summary, budgets, experts, committee, reasons.
    for confidential in ("Dossier confidentiel", "200\xa0000", "expert@labo.test", "Innovant"):
        assert confidential not in home + shown, confidential


def test_a_project_that_is_not_labelled_is_refused_with_the_reason(client, iw):
    project = draft(iw, title="Brouillon secret")
    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Publier dans la vitrine" not in page
    response = publish(client, project)
    assert response.status_code == 409
    assert "Seul un projet labellisé par le pôle se publie dans la vitrine" in (
        response.content.decode()
    )
    project.refresh_from_db()
    assert not project.showcase_published
    assert "Brouillon secret" not in client.get(HOME).content.decode()


def test_only_the_lead_publishes(client, iw):
    project = labelled(iw, title="Diagnostic par IA")
    client.force_login(iw.officer)
    assert publish(client, project).status_code == 403
    assert not Project.objects.get().showcase_published


def test_a_public_summary_is_required(client, iw):
    project = labelled(iw, title="Diagnostic par IA")
    client.force_login(iw.lead_member)
    response = publish(client, project, summary="  ")
    assert response.status_code == 302
    assert not Project.objects.get().showcase_published
    assert "Ce champ est obligatoire" in client.get(response.url).content.decode()


def test_withdrawing_removes_the_project_from_the_showcase_and_its_feeds(client, iw):
    project = labelled(iw, title="Diagnostic par IA")
    client.force_login(iw.lead_member)
    publish(client, project)
    assert "Diagnostic par IA" in client.get(reverse("showcase:rss")).content.decode()
    response = client.post(reverse("projects:showcase_unpublish", args=[project.pk]))
    assert response.status_code == 302
    assert project_history(project)[0].reason == UNPUBLISHED
    client.logout()
    assert "Diagnostic par IA" not in client.get(HOME).content.decode()
    assert client.get(reverse("showcase:project", args=[project.pk])).status_code == 404
    for feed in ("showcase:rss", "showcase:atom"):
        assert "Diagnostic par IA" not in client.get(reverse(feed)).content.decode()
    widget = client.get(reverse("showcase:widget"), {"type": "projets"}).content.decode()
    assert "Diagnostic par IA" not in widget


def test_a_project_that_loses_its_label_leaves_the_showcase(client, iw):
    project = labelled(iw, title="Diagnostic par IA")
    showcase_publish(project=project, user=iw.lead_member, public_summary=PUBLIC_SUMMARY)
    assert "Diagnostic par IA" in client.get(HOME).content.decode()
    # The cluster's decision corrected to « not labelled » (in the admin).
    Project.objects.filter(pk=project.pk).update(state=ProjectState.NOT_LABELLED)
    assert "Diagnostic par IA" not in client.get(HOME).content.decode()
    assert client.get(reverse("showcase:project", args=[project.pk])).status_code == 404
    # Its lead reads why, and may still withdraw it.
    client.force_login(iw.lead_member)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "il n'est plus labellisé" in page
    assert "Retirer de la vitrine" in page


def test_the_showcase_filters_projects_by_market_and_firms_by_label(client, iw, grant):
    for title, market in (("Diagnostic par IA", "health"), ("Gîtes connectés", "tourism")):
        showcase_publish(
            project=labelled(iw, title=title, market=market),
            user=iw.lead_member,
            public_summary=f"{title}, en bref.",
        )
    health = client.get(HOME, {"market": "health"}).content.decode()
    assert "Diagnostic par IA" in health
    assert "Gîtes connectés" not in health

    grant(iw.lead)
    grant(iw.clinic, name="French Tech", slug="french-tech")
    firms = client.get(reverse("showcase:firms"), {"label": "french-tech"}).content.decode()
    assert "Clinique du Parc" in firms
    assert "MedImage" not in firms


def test_a_withdrawn_label_disappears(client, iw, grant):
    granted = grant(iw.clinic)
    assert "Clinique du Parc" in client.get(reverse("showcase:firms")).content.decode()
    assert "Clinique du Parc" in client.get(HOME).content.decode()
    granted.status = LabelRequestStatus.WITHDRAWN
    granted.save()
    assert "Clinique du Parc" not in client.get(reverse("showcase:firms")).content.decode()
    assert "Clinique du Parc" not in client.get(HOME).content.decode()


def test_events_upcoming_and_past_are_shown_drafts_are_not(client, iw, event):
    event("Rencontres du numérique", days=20)
    event("Salon de l'an dernier", days=-200)
    draft_event = event("Projet d'atelier", days=40)
    draft_event.status = "draft"
    draft_event.save()
    home = client.get(HOME).content.decode()
    assert "Rencontres du numérique" in home
    assert "Salon de l&#x27;an dernier" in home
    assert "Projet d&#x27;atelier" not in home


def _showcase_world(iw, grant, event, size: int):
    for number in range(size):
        unit = LegalUnitFactory(name=f"Firme {number}")
        showcase_publish(
            project=labelled(iw, title=f"Projet {number}", fundings=[("Région", 1000)])
            if number == 0
            else labelled(iw, title=f"Projet {number}", lead=iw.lead),
            user=iw.lead_member,
            public_summary=f"Projet {number} en bref.",
        )
        grant(unit, days_ago=number)
        event(f"Événement {number}", days=number - 1, slug=f"evenement-{number}")


@pytest.mark.parametrize("size", [1, 3])
def test_the_pages_cost_a_fixed_number_of_queries(
    client, iw, grant, event, size, django_assert_num_queries
):
    _showcase_world(iw, grant, event, size)
    project = Project.objects.order_by("pk").first()
    # The page: the projects (count, page, partners, fundings), the events (next and
    # held), the latest labels.
    with django_assert_num_queries(7):
        assert client.get(HOME).status_code == 200
    # The project, its partners and fundings.
    with django_assert_num_queries(3):
        assert client.get(reverse("showcase:project", args=[project.pk])).status_code == 200
    # The labels of the filter, then the grants (count, page).
    with django_assert_num_queries(3):
        assert client.get(reverse("showcase:firms")).status_code == 200
    # The projects, their partners and fundings; the events, the labels.
    with django_assert_num_queries(6):
        assert client.get(reverse("showcase:rss")).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(reverse("showcase:widget"), {"type": "evenements"}).status_code == 200


def _rss_items(client) -> list[dict]:
    response = client.get(reverse("showcase:rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Vitrine de la filière numérique"
    return [
        {
            "title": item.findtext("title"),
            "guid": item.findtext("guid"),
            "date": item.findtext("pubDate"),
            "link": item.findtext("link"),
        }
        for item in channel.findall("item")
    ]


def test_the_rss_feed_is_valid_with_stable_guids_and_dates(client, iw, grant, event):
    project = labelled(iw, title="Diagnostic par IA")
    showcase_publish(project=project, user=iw.lead_member, public_summary=PUBLIC_SUMMARY)
    grant(iw.clinic)
    event("Rencontres du numérique", days=20)
    items = _rss_items(client)
    titles = [item["title"] for item in items]
    assert "Diagnostic par IA" in titles
    assert "Clinique du Parc : label « Membre du Pôle TES »" in titles
    assert "Rencontres du numérique" in titles
    assert all(item["guid"] and item["date"] and item["link"] for item in items)
    assert len({item["guid"] for item in items}) == len(items)

    # Another project published later: the items already there keep their GUID.
    showcase_publish(
        project=labelled(iw, title="Gîtes connectés", market="tourism"),
        user=iw.lead_member,
        public_summary="Des gîtes en ligne.",
    )
    again = {item["title"]: item["guid"] for item in _rss_items(client)}
    assert {item["title"]: item["guid"] for item in items}.items() <= again.items()
    assert "Gîtes connectés" in again


def test_the_atom_feed_is_valid(client, iw, grant):
    project = labelled(iw, title="Diagnostic par IA")
    showcase_publish(project=project, user=iw.lead_member, public_summary=PUBLIC_SUMMARY)
    grant(iw.clinic)
    response = client.get(reverse("showcase:atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{atom}feed"
    assert root.findtext(f"{atom}id")
    assert root.findtext(f"{atom}updated")
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 2
    for entry in entries:
        assert entry.findtext(f"{atom}id")
        assert entry.findtext(f"{atom}updated")
        assert entry.find(f"{atom}link").get("href").startswith("http")
    (published,) = [e for e in entries if e.findtext(f"{atom}title") == "Diagnostic par IA"]
    assert published.findtext(f"{atom}summary") == PUBLIC_SUMMARY


def test_the_widget_may_be_framed_and_every_other_page_refuses_frames(client, iw, event):
    event("Rencontres du numérique", days=20)
    widget = client.get(reverse("showcase:widget"), {"type": "evenements", "n": "1"})
    assert widget.status_code == 200
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert "Rencontres du numérique" in widget.content.decode()
    assert "showcase-widget.css" in widget.content.decode()
    for other in (HOME, reverse("showcase:firms"), reverse("showcase:rss")):
        response = client.get(other)
        assert response["X-Frame-Options"] == "DENY", other
    assert "frame-ancestors 'none'" in client.get(HOME)["Content-Security-Policy"]
    # The snippet partners paste frames the widget.
    snippet = f'&lt;iframe src="http://127.0.0.1:8000{reverse("showcase:widget")}?type=projets'
    assert snippet in client.get(HOME).content.decode()


def test_the_widget_shows_n_items_and_says_what_is_wrong_in_its_options(client, iw, event):
    for days in (5, 10, 15):
        event(f"Rendez-vous à J+{days}", days=days)
    shown = client.get(reverse("showcase:widget"), {"type": "evenements", "n": "2"})
    assert shown.content.decode().count("<time") == 2
    wrong = client.get(reverse("showcase:widget"), {"type": "brochures", "n": "500"})
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "type :" in text
    assert "n :" in text
    assert "X-Frame-Options" not in wrong


def test_the_demo_shows_two_labelled_winners_on_the_showcase(
    client, normandy_contract, run_command
):
    run_command("load_demo_projects")
    shown = Project.objects.on_showcase()
    assert shown.count() == 2
    assert all(p.is_demo and p.is_labelled and p.showcase_summary for p in shown)
    # As written: the demo has no history of its own.
    assert not Project.history.exists()
    home = client.get(HOME).content.decode()
    for project in shown:
        assert project.title in home
