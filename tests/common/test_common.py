"""The shared rooms: one refusal, the ``may`` object, the versioned cache, list exports."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.template import Context, Template
from django.test import override_settings
from django.urls import path
from django.utils import translation

from filiere import urls as site_urls
from filiere.common.access import May, UnknownCheck, allows
from filiere.common.exports import Column, csv_cell, csv_export, spreadsheet_safe
from filiere.common.framing import embeddable
from filiere.common.refusals import Refused


def refuse(request):
    raise Refused("demo.rule", "Ce n'est pas possible maintenant.")


def embedded(request):
    return HttpResponse("embedded")


urlpatterns = [
    path("refuse/", refuse),
    path("embedded/", embeddable(embedded)),
    path("ok/", lambda request: HttpResponse("ok")),
    *site_urls.urlpatterns,
]


@pytest.fixture
def refusing_site(settings):
    with override_settings(ROOT_URLCONF=__name__):
        yield


@pytest.mark.django_db
def test_a_refused_form_post_shows_the_message_on_the_page_it_came_from(client, refusing_site):
    response = client.post("/refuse/", HTTP_REFERER="http://testserver/ok/?page=2")
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/ok/?page=2"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Ce n'est pas possible maintenant."
    ]


@pytest.mark.django_db
def test_without_a_page_of_ours_to_go_back_to_the_refusal_is_a_page_of_its_own(
    client, refusing_site
):
    for referer in ("", "https://elsewhere.example/ok/"):
        response = client.post("/refuse/", HTTP_REFERER=referer)
        assert response.status_code == 409
        assert "Ce n&#x27;est pas possible maintenant." in response.content.decode()
    assert client.get("/refuse/").status_code == 409


@pytest.mark.django_db
def test_an_htmx_request_is_sent_back_to_its_page(client, refusing_site):
    response = client.post("/refuse/", HTTP_REFERER="http://testserver/ok/", HTTP_HX_REQUEST="true")
    assert (response.status_code, response["HX-Redirect"]) == (204, "http://testserver/ok/")


def test_a_refusal_names_its_rule_and_its_field():
    refusal = Refused("budget.over", "Trop.", field="amount_eur")
    assert (refusal.status, refusal.as_dict()) == (
        422,
        {"detail": "Trop.", "rule": "budget.over", "field": "amount_eur"},
    )
    assert Refused("state.closed", "Clos.").status == 409


def check_open(user, thing):
    if user is None:
        raise PermissionDenied
    if thing["closed"]:
        raise Refused("thing.closed", "Clos.")


def test_may_answers_each_check_once_and_refuses_unknown_verbs():
    calls = []

    def counted(user, thing):
        calls.append(thing)
        return allows(check_open, user, thing)

    may = May("someone", {"closed": False}, edit=counted)
    assert may.edit
    assert may["edit"]
    assert len(calls) == 1
    assert not May(None, {"closed": False}, edit=counted).edit
    assert not May("someone", {"closed": True}, edit=counted).edit
    with pytest.raises(UnknownCheck):
        Template("{% if may.eddit %}x{% endif %}").render(Context({"may": may}))
    assert Template("{% if may.edit %}oui{% endif %}").render(Context({"may": may})) == "oui"


COLUMNS = (
    Column("nom", "Nom", lambda row: row["name"], link=lambda row: f"/r/{row['id']}/"),
    Column("le", "Le", lambda row: row["on"]),
    Column("montant", "Montant", lambda row: row["amount"], suffix=" €"),
    Column("demo", "Démo", lambda row: row["is_demo"], on_page=False),
)
ROW = {
    "id": 7,
    "name": "A & B",
    "on": date(2019, 3, 1),
    "amount": Decimal("1500.00"),
    "is_demo": True,
}


def test_the_export_writes_french_dates_decimal_commas_and_yes_no():
    response = csv_export("x.csv", COLUMNS, [ROW])
    text = response.content.decode("utf-8-sig")
    assert text.splitlines() == ["nom;le;montant;demo", "A & B;01/03/2019;1500;oui"]
    assert csv_cell(None) == ""
    assert csv_cell(0.1) == "0,1"
    # The number, not the scale of its column (PostgreSQL's « 850000.0000 »).
    assert csv_cell(Decimal("850000.0000")) == "850000"
    assert csv_cell(Decimal("712200.0")) == "712200"
    assert csv_cell(Decimal("0.83790")) == "0,8379"
    assert csv_cell(Decimal("1E+3")) == "1000"
    assert csv_cell(Decimal("1E+3")) == "1000"
    assert csv_cell(46) == 46


class Stage(models.TextChoices):
    APPROVED = "approved", "Accordé"
    REFUSED = "refused", "Refusé"


def test_a_coded_column_gives_its_label_on_the_page_and_its_code_beside_it_in_the_csv():
    stage = Column("statut", "Statut", lambda row: row["stage"], choices=Stage)
    rows = [{"stage": "approved"}, {"stage": ""}]
    text = csv_export("x.csv", [stage], rows).content.decode("utf-8-sig")
    assert text.splitlines() == ["statut;statut_code", "Accordé;approved", ";"]
    html = Template("{% load filiere %}{% cell column row %}").render(
        Context({"column": stage, "row": rows[0]})
    )
    assert html == "<td>Accordé</td>"
    # A mapping or pairs serve as well as a TextChoices class.
    assert Column("s", "S", lambda row: "a", choices=[("a", "Un")]).shown({}) == "Un"


def test_the_page_cell_formats_in_french_and_escapes():
    rendered = Template("{% load filiere %}{% for c in columns %}{% cell c row %}{% endfor %}")
    with translation.override("fr"):
        html = rendered.render(Context({"columns": COLUMNS[:3], "row": ROW}))
    assert '<a href="/r/7/">A &amp; B</a>' in html
    assert "01/03/2019" in html
    assert '<td class="num">1\xa0500 €</td>' in html


def test_text_cells_that_spreadsheets_would_run_are_written_as_text():
    rows = [
        {
            "name": '=HYPERLINK("http://x")',
            "on": None,
            "amount": Decimal("-12.5"),
            "is_demo": False,
            "id": 1,
        }
    ]
    columns = (
        Column("nom", "Nom", lambda row: row["name"]),
        Column("montant", "Montant", lambda row: row["amount"]),
    )
    text = csv_export("x.csv", columns, rows).content.decode("utf-8-sig")
    assert text.splitlines()[1] == '"\'=HYPERLINK(""http://x"")";-12,5'
    for start in ("+1", "-a", "@SUM(A1)", "\tx"):
        assert spreadsheet_safe(start) == f"'{start}"
    assert spreadsheet_safe("Caen") == "Caen"
    assert spreadsheet_safe(-3) == -3
    assert spreadsheet_safe("-12,5") == "-12,5"  # a number, as csv_cell writes it
    assert spreadsheet_safe("-12,5+A1") == "'-12,5+A1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/contracts/a%00b", "/annuaire/?q=a%00b", "/besoins/conseil/%00/"],
)
def test_a_nul_character_in_an_address_is_refused_at_the_door(client, path):
    """PostgreSQL cannot store nor compare it: it was a DataError, a 500."""
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_a_nul_character_in_an_api_body_is_refused(client):
    response = client.post(
        "/api/needs/suggestions", '{"text": "site\\u0000web"}', content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_refusal_does_not_look_like_a_success(client, refusing_site):
    client.post("/refuse/", HTTP_REFERER="http://testserver/")
    page = client.get("/").content.decode()
    assert '<li class="message-error">Ce n&#x27;est pas possible maintenant.</li>' in page


@pytest.mark.django_db
def test_a_request_in_another_language_leaves_the_thread_in_the_default_one(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in client.get("/").content.decode()
    # What the thread does next (a request, a mail, a test) is not in that person's language.
    assert translation.get_language() == settings.LANGUAGE_CODE


@override_settings(ROOT_URLCONF=__name__)
def test_only_an_embeddable_page_may_be_framed(client):
    framed = client.get("/embedded/")
    assert "X-Frame-Options" not in framed.headers
    assert "frame-ancestors *" in framed.headers["Content-Security-Policy"]
    kept = client.get("/ok/")
    assert kept.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in kept.headers["Content-Security-Policy"]
