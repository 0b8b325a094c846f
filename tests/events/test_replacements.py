"""A no-show's replacements are those the schedule's rules (the validator) allow."""

import pytest

from filiere.common.refusals import Refused
from filiere.events import selectors
from filiere.events.enums import MeetingState, RequestStatus
from filiere.events.models import Meeting, MeetingRequest
from filiere.events.services import day, registrations
from tests.events.conftest import moment
from tests.factories import UserFactory


@pytest.fixture
def day_of(event, world):
    """The matchmaking morning with three tables a slot, no seat limit, and its participants
    by name."""
    event.capacity = None
    event.save()
    event.slots.update(tables=3)
    first, second, third = event.slots.all()
    names = [
        "Présent",
        "Absent",
        "Capé",
        "Indisponible",
        "Occupé",
        "Déjà vu",
        "Autre",
        "Lié",
        "Arrivé",
        "Zèbre",
        "Abeille",
    ]
    people = {}
    for name in names:
        people[name] = registrations.register(
            event=event,
            user=UserFactory(),
            company=name,
            max_meetings=1 if name == "Capé" else None,
            unavailable=[first] if name == "Indisponible" else [],
        )

    def meet(a, b, slot, table, state=MeetingState.PUBLISHED):
        request = MeetingRequest.objects.create(
            event=event,
            requester=people[a],
            target=people[b],
            status=RequestStatus.ACCEPTED,
        )
        return Meeting.objects.create(request=request, slot=slot, table=table, state=state)

    no_show = meet("Présent", "Absent", first, 1)
    meet("Occupé", "Autre", first, 2)  # busy in that slot
    meet("Présent", "Déjà vu", second, 1)  # they meet at another time already
    MeetingRequest.objects.create(  # … and the other asked too: the meeting's request counts
        event=event, requester=people["Déjà vu"], target=people["Présent"]
    )
    meet("Capé", "Autre", third, 1)  # at their cap of one meeting
    MeetingRequest.objects.create(  # linked by a request still unanswered
        event=event, requester=people["Lié"], target=people["Présent"]
    )
    people["Arrivé"].checked_in_at = moment(8, 50)
    people["Arrivé"].save()
    day.mark_no_show(user=world.cci_adviser, meeting=no_show, absent=people["Absent"])
    return event, no_show, people


def test_the_free_participants_are_those_the_rules_allow_linked_then_arrived_first(day_of):
    _event, no_show, _people = day_of
    assert [r.company for r in selectors.replacements(no_show)] == [
        "Lié",
        "Arrivé",
        "Abeille",
        "Zèbre",
    ]


def test_the_organiser_sees_them_and_a_participant_who_is_not_free_is_refused(
    client, day_of, world
):
    event, no_show, people = day_of
    client.force_login(world.cci_adviser)
    url = f"/evenements/rdv-caen/organisation/remplacer/{no_show.pk}/"
    page = client.get(url).content.decode()
    assert page.index("Proposer Lié") < page.index("Proposer Arrivé") < page.index("Proposer Zèbre")
    for busy in ("Capé", "Indisponible", "Occupé", "Déjà vu", "Autre"):
        assert f"Proposer {busy}" not in page
        response = client.post(url, {"candidate": people[busy].pk}, HTTP_REFERER=url, follow=True)
        assert "Ce participant n&#x27;est pas libre sur ce créneau." in response.content.decode()
    assert not Meeting.objects.filter(slot=no_show.slot, table=no_show.table).exclude(pk=no_show.pk)

    # The one linked by a request meets the present participant on that request, now accepted.
    client.post(url, {"candidate": people["Lié"].pk})
    replacement = Meeting.objects.get(slot=no_show.slot, table=no_show.table, state="published")
    assert replacement.request.requester == people["Lié"]
    assert replacement.request.status == RequestStatus.ACCEPTED
    # The table is taken again: nobody else is free there.
    assert selectors.replacements(no_show) == []


def test_a_replacement_outside_the_rules_is_refused_by_the_service(day_of, world):
    _event, no_show, people = day_of
    with pytest.raises(Refused) as refused:
        day.replacement_create(user=world.cci_adviser, meeting=no_show, candidate=people["Capé"])
    assert refused.value.rule == "events.replacement_not_free"
