"""Bad input costs a 4xx, never a 500: hypothesis fills every form of the main pages, the
filters of the lists and every parameter and body of the API with hostile values.

The forms are read from the pages themselves, as each kind of user sees them (their
fields, their choices, where they post), so that a new form is fuzzed as soon as a page
shows it; the API's operations come from its OpenAPI schema.
"""

import json
import uuid
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filiere.accounts.enums import OrganisationKind, Role
from filiere.directory.models import Label, Tag
from filiere.directory.services.labels import label_request_record
from filiere.events.models import Event
from filiere.events.services import events
from filiere.needs.models import InvitationList
from filiere.projects.services.projects import project_create
from filiere.support.services import support_need_record
from tests.factories import (
    CohortFactory,
    DatalabProjectFactory,
    OrganisationFactory,
    ResidenceFactory,
    ThirdPlaceFactory,
    TrainingPathFactory,
    member,
)
from tests.worlds import innovation_world, matching_world

# Values that broke forms and parameters before, and their kin.
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "9" * 30,
    "1e309",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "2019-02-30",
    "31/12/2019",
    "x" * 100_000,
    "a\x00b",
    "ligne\r\nBcc: x@example.test",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "é" * 300,
    "🙂",
    "../../etc/passwd",
    "null",
    "[]",
]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))
SKIPPED = {"csrfmiddlewaretoken"}
# Forms that would end the session the fuzzing goes on with, and the scheduler's start, whose
# run takes its whole time limit at each call (its rules are fuzzed through the other
# organiser forms, and tests/events and tests/runtime start it for real).
LEFT_OUT = {"/comptes/deconnexion/", "/comptes/mon-compte/suppression/"}
LEFT_OUT_ENDINGS = ("/organisation/calcul/lancer/",)


class Forms(HTMLParser):
    """The forms of a page: where they go, how, and their fields with the values offered."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "method": (attrs.get("method") or "get").lower(),
                    "fields": {},
                }
            )
        elif self.forms and tag in ("input", "textarea", "select") and attrs.get("name"):
            kind = attrs.get("type", tag)
            if kind in ("submit", "button", "file"):
                return
            options = self.forms[-1]["fields"].setdefault(attrs["name"], [])
            if tag == "select":
                self._select = attrs["name"]
            elif attrs.get("value") is not None:
                options.append(attrs["value"])
        elif tag == "option" and self._select and self.forms:
            self.forms[-1]["fields"][self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(client: Client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = Forms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        form["action"] = urlsplit(form["action"]).path or path
        form["page"] = path
    return [
        f
        for f in parser.forms
        if f["fields"]
        and f["action"] not in LEFT_OUT
        and not f["action"].endswith(LEFT_OUT_ENDINGS)
    ]


def value_for(name: str, offered: list[str]):
    """A value for a field: one it offers, a hostile one, or several of either."""
    if name == "form_token":
        return st.one_of(st.builds(lambda: uuid.uuid4().hex), TEXT)
    choices = st.sampled_from(offered) if offered else TEXT
    one = st.one_of(choices, TEXT)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def submit(client: Client, form: dict, data: dict):
    if form["method"] == "post":
        page = f"http://testserver{form['page']}"
        return client.post(form["action"], data, HTTP_REFERER=page)
    return client.get(form["action"], data)


def sweep(clients: dict[str, Client], forms: list[tuple[str, dict]]):
    """Send each form once per hostile value, in every one of its fields at once (each
    field's checks all run, so each meets each value)."""
    for who, form in forms:
        for value in HOSTILE:
            data = {name: value for name in form["fields"] if name not in SKIPPED}
            data["form_token"] = uuid.uuid4().hex
            response = submit(clients[who], form, data)
            assert response.status_code < 500, (who, form["action"], value[:80])


def fuzz(clients: dict[str, Client], forms: list[tuple[str, dict]], examples: int):
    """The sweep, then each form ``examples`` times with values mixed by hypothesis (offered
    choices beside hostile values); every answer is below 500."""
    sweep(clients, forms)

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def each(data):
        for who, form in forms:
            values = {
                name: data.draw(value_for(name, offered), label=f"{form['action']} {name}")
                for name, offered in form["fields"].items()
                if name not in SKIPPED and data.draw(st.booleans(), label=f"send {name}")
            }
            response = submit(clients[who], form, values)
            assert response.status_code < 500, (who, form["action"], values)

    each()


def crawl(clients: dict[str, Client], pages: dict[str, list[str]]) -> list[tuple[str, dict]]:
    """Every form of the pages, with who sees it."""
    return [
        (who, form)
        for who, paths in pages.items()
        for p in paths
        for form in forms_of(clients[who], p)
    ]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def fuzz_world(db, on_commit_at_once):
    """The needs, support, events, projects and registers of a small Normandy, with one
    person of each kind."""
    world = matching_world()
    innovation = innovation_world()
    need = support_need_record(
        unit=world.pixel,
        subject="finance",
        description="Un prêt d'honneur",
        register="trade",
        user=world.coordinator,
    )
    event = Event.objects.create(
        slug="rdv",
        title="Rendez-vous",
        kind="matchmaking",
        organiser=world.cci,
        starts_at=timezone.make_aware(datetime(2030, 1, 10, 9)),
        ends_at=timezone.make_aware(datetime(2030, 1, 10, 12)),
        place="Caen",
        requires_approval=False,
    )
    events.slots_generate(
        user=world.cci_adviser, event=event, first=event.starts_at, count=3, minutes=20, tables=2
    )
    InvitationList.objects.create(name="Caen", organisation=world.cci)
    Label.objects.create(slug="french-tech", name="Normandy French Tech", kind="french_tech")
    # A request waiting for NWX's coordinator, whose page offers to grant or refuse it.
    label_request_record(
        unit=world.rempart,
        label=Label.objects.create(
            slug="membre-nwx", name="Membre de NWX", kind="cluster", granted_by=world.nwx
        ),
        user=world.rempart_member,
    )
    Tag.objects.create(slug="cybersecurite", label="cybersécurité")
    project = project_create(
        user=innovation.lead_member,
        lead=innovation.lead,
        cluster=innovation.tes,
        title="Diagnostic par IA",
        summary="Imagerie médicale.",
        market="health",
        trl=4,
    )
    residence = ResidenceFactory(operator=innovation.tes)
    CohortFactory(residence=residence)
    DatalabProjectFactory()
    TrainingPathFactory()
    place = ThirdPlaceFactory(status="applied")
    region = OrganisationFactory(slug="region-n", kind=OrganisationKind.REGIONAL_COUNCIL)
    world.region_officer = member(region, Role.PROGRAMME_OFFICER)
    return world, innovation, need, event, project, place


def test_no_form_of_the_platform_answers_500(fuzz_world):
    world, innovation, need, event, project, place = fuzz_world
    clients = {
        "public": Client(),
        "adviser": signed_in(world.cci_adviser),
        "member": signed_in(world.pixel_member),
        "coordinator": signed_in(world.coordinator),
        "cluster": signed_in(innovation.officer),
        "lead": signed_in(innovation.lead_member),
        "officer": signed_in(world.region_officer),
    }
    pages = {
        "public": [
            "/besoins/deposer/",
            "/annuaire/",
            "/observatoire/",
            "/projets/aides/",
            "/registres/tiers-lieux/",
            "/registres/formations/",
            "/registres/datalab/",
            "/registres/residences/",
        ],
        "adviser": [
            "/besoins/conseil/",
            "/besoins/invitations/",
            f"/accompagnement/{need.pk}/",
            "/accompagnement/",
            "/evenements/nouveau/",
            f"/evenements/{event.slug}/organisation/",
            f"/annuaire/{world.pixel.siren}/",  # the form to write to the firm
            f"/dossiers/{world.pixel.siren}/",  # notes, reminders, the timeline's filters
        ],
        "member": [
            f"/annuaire/{world.pixel.siren}/",
            f"/annuaire/{world.pixel.siren}/modifier/",
            f"/besoins/offre/{world.pixel.siren}/",
            "/accompagnement/nouveau/",
            f"/evenements/{event.slug}/",
        ],
        "coordinator": ["/annuaire/labels/"],
        "cluster": [f"/projets/{project.pk}/", "/registres/residences/"],
        "lead": [
            "/projets/nouveau/",
            f"/projets/{project.pk}/",
            f"/projets/{project.pk}/modifier/",
            "/projets/",
        ],
        "officer": [
            "/accompagnement/regles/",
            "/accompagnement/activite/",
            f"/registres/tiers-lieux/{place.pk}/",
            "/registres/datalab/nouveau/",
            "/registres/tiers-lieux/candidature/",
            "/observatoire/filieres/nouvelle/",
            "/observatoire/imports/",
        ],
    }
    forms = [
        (who, form)
        for who, paths in pages.items()
        for p in paths
        for form in forms_of(clients[who], p)
    ]
    posted = {form["action"] for _who, form in forms if form["method"] == "post"}
    assert len(posted) > 20  # the crawl found the pages' forms
    fuzz(clients, forms, examples=8)


def test_no_form_of_the_steering_pages_answers_500(normandy_contract):
    from tests.programme.test_views import SLUG, officer

    clients = {"officer": signed_in(officer(normandy_contract)), "public": Client()}
    pages = {
        "officer": [
            f"/contrats/{SLUG}/actions/2.1/",
            f"/contrats/{SLUG}/indicateurs/entreprises-accompagnees/",
            f"/contrats/{SLUG}/",
            # Setting a contract up and editing its parts.
            "/contrats/nouveau/",
            f"/contrats/{SLUG}/gestion/",
            f"/contrats/{SLUG}/gestion/contrat/",
            f"/contrats/{SLUG}/gestion/axes/1/",
            f"/contrats/{SLUG}/gestion/actions/2.1/",
            f"/contrats/{SLUG}/gestion/indicateurs/entreprises-accompagnees/",
            f"/contrats/{SLUG}/gestion/strategie/",
            f"/contrats/{SLUG}/gestion/strategie/piliers/1/",
        ],
        "public": [f"/contrats/{SLUG}/rapport/"],
    }
    forms = [
        (who, form)
        for who, paths in pages.items()
        for p in paths
        for form in forms_of(clients[who], p)
    ]
    fuzz(clients, forms, examples=10)


def hostile_json():
    scalar = st.one_of(
        TEXT, st.integers(), st.just(10**40), st.floats(allow_nan=True), st.none(), st.booleans()
    )
    return st.one_of(
        scalar, st.lists(scalar, max_size=3), st.dictionaries(TEXT, scalar, max_size=2)
    )


def test_no_api_operation_answers_500(normandy_contract):
    from tests.programme.test_views import SLUG, officer

    client = signed_in(officer(normandy_contract))
    spec = json.loads(client.get("/api/openapi.json").content)
    schemas = spec["components"]["schemas"]
    known = {"slug": [SLUG], "code": ["entreprises-accompagnees", "couverture-thd"]}
    operations = [
        (method, path, op) for path, ops in spec["paths"].items() for method, op in ops.items()
    ]
    assert len(operations) >= 9

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def each(data):
        for method, path, op in operations:
            url, query = path, {}
            for parameter in op.get("parameters", []):
                name = parameter["name"]
                offered = known.get(name, [])
                value = data.draw(st.one_of(st.sampled_from(offered), TEXT) if offered else TEXT)
                if parameter["in"] == "path":
                    url = url.replace(f"{{{name}}}", value.replace("/", "") or "x")
                elif data.draw(st.booleans()):
                    query[name] = value
            if query:
                url += "?" + urlencode(query)
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if method == "get":
                response = client.get(url)
            else:
                schema = schemas[body["schema"]["$ref"].rsplit("/", 1)[1]] if body else {}
                payload = data.draw(
                    st.one_of(
                        st.fixed_dictionaries(
                            {}, optional={k: hostile_json() for k in schema.get("properties", {})}
                        ),
                        hostile_json(),
                    )
                )
                response = client.generic(
                    method.upper(), url, json.dumps(payload), content_type="application/json"
                )
            assert response.status_code < 500, (method, url, response.content[:300])

    each()


def test_the_crawl_reads_a_forms_fields_and_choices():
    parser = Forms()
    parser.feed(
        '<form method="post" action="/x/"><input name="a" value="1">'
        '<select name="b"><option value="p">P</option><option value="q">Q</option></select>'
        '<textarea name="c"></textarea><input type="submit" name="go"></form>'
    )
    assert parser.forms == [
        {"action": "/x/", "method": "post", "fields": {"a": ["1"], "b": ["p", "q"], "c": []}}
    ]
