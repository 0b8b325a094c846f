"""A partner's CRM syncs its office's support needs, and an organiser's tools read its events'
registrations and meetings, each with the key's scope and within the key's organisation."""

import json

from filiere.events.models import Event, Meeting, MeetingRequest, Slot
from filiere.events.services import registrations
from filiere.partners.enums import Scope
from filiere.support.enums import EventKind, Subject, SupportStatus, TradeRegister
from filiere.support.models import SupportNeed
from tests.events.conftest import moment
from tests.partners.conftest import bearer

SUPPORT_NEED = {
    "subject": Subject.FINANCE,
    "description": "Levée de fonds pour un nouveau service",
    "trade_register": TradeRegister.TRADE,
    "contact_name": "Léa Martin",
    "contact_email": "lea@pixel.test",
}


def test_a_crm_records_lists_takes_and_closes_its_offices_support_needs(client, world, make_key):
    created = make_key(Scope.SUPPORT_READ, Scope.SUPPORT_WRITE)
    headers = bearer(created)
    posted = client.post(
        "/api/support/needs",
        json.dumps({**SUPPORT_NEED, "siren": world.pixel.siren}),
        content_type="application/json",
        **headers,
    )
    assert posted.status_code == 201, posted.content
    need = SupportNeed.objects.get()
    # Routed by the rules, as from the form: finance × trade register → the CCI.
    assert list(need.offices.all()) == [world.cci]
    assert need.recorded_by == world.cci_adviser

    listed = client.get("/api/support/needs", {"status": "new"}, **headers).json()
    assert listed["count"] == 1
    assert listed["items"][0]["siren"] == world.pixel.siren
    assert client.get("/api/support/needs", {"status": "done"}, **headers).json()["count"] == 0

    url = f"/api/support/needs/{need.pk}"
    taken = client.patch(
        url, json.dumps({"take": True}), content_type="application/json", **headers
    )
    assert (taken.status_code, taken.json()["status"], taken.json()["taken_office"]) == (
        200,
        "taken",
        "cci",
    )
    noted = client.patch(
        url, json.dumps({"note": "Rappel prévu"}), content_type="application/json", **headers
    )
    assert noted.status_code == 200
    closing = {"status": SupportStatus.DONE, "note": "Orientée vers la BPI"}
    closed = client.patch(url, json.dumps(closing), content_type="application/json", **headers)
    assert closed.json()["status"] == "done"
    need.refresh_from_db()
    assert [n.text for n in need.notes.order_by("at", "id")] == [
        "Rappel prévu",
        "Orientée vers la BPI",
    ]
    # The history holds, as through the pages: routed, taken, closed.
    kinds = list(need.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds[:3] == [EventKind.ROUTED, EventKind.TAKEN, EventKind.STATUS]
    # A closed need is not taken again: the rule's refusal, with its name.
    again = client.patch(
        url, json.dumps({"take": True}), content_type="application/json", **headers
    )
    assert again.status_code == 409
    assert again.json()["rule"]


def test_another_offices_key_neither_sees_nor_changes_the_need(client, world, make_key):
    from filiere.accounts.models import Membership

    need_key = make_key(Scope.SUPPORT_WRITE)
    client.post(
        "/api/support/needs",
        json.dumps({**SUPPORT_NEED, "siren": world.pixel.siren}),
        content_type="application/json",
        **bearer(need_key),
    )
    need = SupportNeed.objects.get()
    Membership.objects.filter(user=world.cma_adviser).update(is_admin=True)
    cma_key = make_key(
        Scope.SUPPORT_READ, Scope.SUPPORT_WRITE, organisation=world.cma, user=world.cma_adviser
    )
    assert client.get("/api/support/needs", **bearer(cma_key)).json()["count"] == 0
    refused = client.patch(
        f"/api/support/needs/{need.pk}",
        json.dumps({"take": True}),
        content_type="application/json",
        **bearer(cma_key),
    )
    assert refused.status_code == 404
    # Reading needs support:read.
    refused = client.get("/api/support/needs", **bearer(need_key))
    assert (refused.status_code, refused.json()["scope"]) == (403, "support:read")


def test_an_organiser_reads_its_events_registrations_and_meetings(client, world, make_key):
    event = Event.objects.create(
        slug="rdv-caen",
        title="Rendez-vous du numérique",
        kind="matchmaking",
        organiser=world.cci,
        starts_at=moment(9),
        ends_at=moment(12),
        place="Caen",
        capacity=5,
        requires_approval=False,
    )
    other = Event.objects.create(
        slug="ailleurs",
        title="Ailleurs",
        kind="webinar",
        organiser=world.nwx,
        starts_at=moment(9),
        ends_at=moment(12),
        capacity=5,
    )
    pixel = registrations.register(event=event, user=world.pixel_member, company="Pixel")
    rempart = registrations.register(event=event, user=world.rempart_member, company="Rempart")
    slot = Slot.objects.create(event=event, starts_at=moment(9), ends_at=moment(9, 20), tables=1)
    request = MeetingRequest.objects.create(
        event=event, requester=pixel, target=rempart, priority=1
    )
    Meeting.objects.create(request=request, slot=slot, table=1)
    created = make_key(Scope.EVENTS_READ)
    listed = client.get(f"/api/events/{event.pk}/registrations", **bearer(created)).json()
    assert [r["company"] for r in listed["items"]] == ["Pixel", "Rempart"]
    meetings = client.get(f"/api/events/{event.pk}/meetings", **bearer(created)).json()
    assert meetings["count"] == 1
    assert (meetings["items"][0]["requester_id"], meetings["items"][0]["target_id"]) == (
        pixel.pk,
        rempart.pk,
    )
    assert meetings["items"][0]["table"] == 1
    assert client.get(f"/api/events/{other.pk}/registrations", **bearer(created)).status_code == 404
    read_only = make_key(Scope.READ)
    refused = client.get(f"/api/events/{event.pk}/registrations", **bearer(read_only))
    assert (refused.status_code, refused.json()["scope"]) == (403, "events:read")


def test_what_the_api_cannot_read_is_a_400_or_a_422_never_a_500(client, world, make_key):
    created = make_key(Scope.SUPPORT_READ, Scope.SUPPORT_WRITE)
    client.post(
        "/api/support/needs",
        json.dumps({**SUPPORT_NEED, "siren": world.pixel.siren}),
        content_type="application/json",
        **bearer(created),
    )
    need = SupportNeed.objects.get()
    for body in ("[null, null]", "3", "\x00"):
        response = client.patch(
            f"/api/support/needs/{need.pk}",
            body,
            content_type="application/json",
            **bearer(created),
        )
        assert response.status_code == 400
        assert response.json()["detail"]
    huge = client.get("/api/support/needs", {"limit": 10**30}, **bearer(created))
    assert huge.status_code == 422
    assert (
        client.get("/api/support/needs", {"offset": 10**12}, **bearer(created)).status_code == 422
    )
    need.refresh_from_db()
    assert need.status == SupportStatus.NEW
