"""A participant's agenda as an iCalendar file."""

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from filiere.events.models import Registration


def agenda(registration: Registration, meetings, domain: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Filière//rendez-vous//FR")
    calendar.add("version", "2.0")
    event = registration.event
    for meeting in meetings:
        other = (
            meeting.request.target
            if meeting.request.requester_id == registration.pk
            else meeting.request.requester
        )
        entry = CalendarEvent()
        entry.add("uid", f"rdv-{meeting.pk}@{domain}")
        entry.add("summary", f"Rendez-vous avec {other.company} — table {meeting.table}")
        entry.add("dtstart", meeting.slot.starts_at)
        entry.add("dtend", meeting.slot.ends_at)
        entry.add("location", f"{event.place}, table {meeting.table}")
        entry.add("description", f"{event.title}. {other.offer}".strip())
        calendar.add_component(entry)
    return calendar.to_ical()
