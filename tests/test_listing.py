"""The list pages' pages: ``?page=N`` of the filtered rows, links to the others with the
filters kept, a caption saying which page, the export giving every row."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from filiere.common.exports import LISTED, listing
from filiere.directory.models import LegalUnit
from filiere.registers.enums import ThirdPlaceStatus
from tests.factories import LegalUnitFactory, ThirdPlaceFactory


@pytest.mark.django_db
def test_a_listing_shows_one_page_counts_them_all_and_keeps_the_filters():
    units = [LegalUnitFactory(siren=f"10000000{i}") for i in range(5)]
    request = RequestFactory().get("/projets/", {"state": "funded", "page": "2"})
    shown = listing(request, LegalUnit.objects.order_by("siren"), per_page=2)
    assert shown.rows == units[2:4]
    assert shown.total == 5
    assert shown.csv_link == "?state=funded&format=csv"
    assert [(link.label, link.url, link.current) for link in shown.links] == [
        ("Précédente", "?state=funded&page=1", False),
        ("1", "?state=funded&page=1", False),
        ("2", "", True),
        ("3", "?state=funded&page=3", False),
        ("Suivante", "?state=funded&page=3", False),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["0", "99", "x"])
def test_a_page_out_of_range_gives_the_nearest_one(asked):
    for i in range(3):
        LegalUnitFactory(siren=f"20000000{i}")
    request = RequestFactory().get("/", {"page": asked})
    shown = listing(request, LegalUnit.objects.order_by("siren"), per_page=2)
    assert shown.page.number == {"0": 2, "99": 2, "x": 1}[asked]


@pytest.mark.parametrize(("pages", "note"), [(1, False), (3, True)])
def test_the_caption_says_which_page_when_there_are_several(rf, pages, note):
    from django.core.paginator import Paginator

    page = Paginator(range(pages * 2), 2).page(1)
    request = rf.get("/")
    from filiere.common.exports import Listing, page_links

    caption = render_to_string(
        "_listing_caption.html",
        {
            "counted": "6 besoins",
            "listing": Listing(
                rows=[], total=pages * 2, csv_link="", page=page, links=page_links(request, page)
            ),
        },
    )
    assert "6 besoins" in caption
    assert ("page 1 sur 3, l'export les donne tous" in caption) is note


PLACES = 170


@pytest.fixture
def places(db):
    ThirdPlaceFactory.create_batch(PLACES - 10, status=ThirdPlaceStatus.REFERENCED)
    return ThirdPlaceFactory.create_batch(10, status=ThirdPlaceStatus.LABELLED, city="Lisieux")


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/registres/tiers-lieux/\d+/">([^<]+)</a>', page)


def test_the_third_places_are_listed_page_by_page_with_their_filters(client, places):
    url = "/registres/tiers-lieux/"
    first = client.get(url).content.decode()
    assert f"{PLACES} lieux" in first
    assert len(_names(first)) == LISTED
    assert 'href="?page=2"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert len(_names(second)) == LISTED
    assert not set(_names(first)) & set(_names(second))
    last = client.get(url, {"page": 4}).content.decode()
    assert len(_names(last)) == PLACES - 3 * LISTED
    assert 'aria-current="page">4<' in last

    # A filter is kept by the page links, and the export gives every row of the filter.
    labelled = client.get(url, {"status": ThirdPlaceStatus.LABELLED}).content.decode()
    assert len(_names(labelled)) == 10
    assert "?page=" not in labelled
    big = ThirdPlaceFactory.create_batch(LISTED, status=ThirdPlaceStatus.LABELLED)
    labelled = client.get(url, {"status": ThirdPlaceStatus.LABELLED}).content.decode()
    assert f'href="?status={ThirdPlaceStatus.LABELLED}&amp;page=2"' in labelled
    export = client.get(url, {"status": ThirdPlaceStatus.LABELLED, "page": 2, "format": "csv"})
    assert len(export.content.decode().splitlines()) == 1 + 10 + len(big)


def test_a_list_page_asks_the_same_queries_for_any_page(client, places, django_assert_num_queries):
    url = "/registres/tiers-lieux/"
    client.get(url)  # the session, the sites' caches
    with django_assert_num_queries(3) as first:
        client.get(url)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url, {"page": 3})


@pytest.mark.django_db
def test_an_offices_own_lists_are_paged_too(client):
    """The routing rules and an invitation list grow with the contract: paged like the rest."""
    from django.urls import reverse

    from filiere.needs.models import InvitationEntry, InvitationList
    from filiere.support.enums import Subject
    from filiere.support.models import RoutingRule
    from tests.worlds import matching_world

    world = matching_world()
    RoutingRule.objects.bulk_create(
        RoutingRule(subject=subject, departement=f"{n:02d}", office=world.cci)
        for subject in Subject.values
        for n in range(1, 1 + LISTED // len(Subject.values) + 2)
    )
    chosen = InvitationList.objects.create(name="Salon", organisation=world.cci)
    InvitationEntry.objects.bulk_create(
        InvitationEntry(invitation_list=chosen, legal_unit=LegalUnitFactory())
        for _ in range(LISTED + 3)
    )
    client.force_login(world.cci_adviser)
    for url, row in (
        (reverse("support:rules"), re.compile(r"<tr>\s*<td")),
        (
            reverse("needs:invitation_list", args=[chosen.pk]),
            re.compile(r"<li>\s*<a href=\"/annuaire/\d+/"),
        ),
    ):
        first = client.get(url).content.decode()
        assert len(row.findall(first)) == LISTED, url
        assert 'rel="next"' in first, url
        second = client.get(url, {"page": "2"}).content.decode()
        assert 0 < len(row.findall(second)) < LISTED, url
