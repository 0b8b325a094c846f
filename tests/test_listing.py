"""The list pages' shared slice and caption (projects, needs, support needs)."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from filiere.common.exports import Listing, listing
from filiere.directory.models import LegalUnit
from tests.factories import LegalUnitFactory


@pytest.mark.django_db
def test_a_listing_shows_its_first_rows_counts_them_all_and_keeps_the_filters():
    units = [LegalUnitFactory(siren=f"10000000{i}") for i in range(5)]
    request = RequestFactory().get("/projets/", {"state": "funded"})
    shown = listing(request, LegalUnit.objects.order_by("siren"), shown=2)
    assert shown.rows == units[:2]
    assert (shown.total, shown.shown) == (5, 2)
    assert shown.csv_link == "?state=funded&format=csv"


@pytest.mark.parametrize(("total", "note"), [(3, False), (200, False), (201, True)])
def test_the_caption_says_when_the_export_holds_more_than_the_page(total, note):
    caption = render_to_string(
        "_listing_caption.html",
        {
            "counted": f"{total} besoins",
            "listing": Listing(rows=[], total=total, shown=200, csv_link="?format=csv"),
        },
    )
    assert f"{total} besoins" in caption
    assert ("les 200 premiers sont affichés, l'export les donne tous" in caption) is note
