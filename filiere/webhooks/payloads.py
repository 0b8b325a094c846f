"""The ``data`` of each event, the contract partners code against: small and stable (ids,
links, statuses, dates), in one place so that both kinds of needs send the same shape. No
person's name, address or telephone: only what the receiving organisation already sees on
its pages (the firm's name and SIREN). A field may be added; renaming or removing one needs
a new ``version`` (services.PAYLOAD_VERSION). docs/webhooks.md lists them."""

from datetime import datetime


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def need(
    *,
    kind: str,
    id: int,
    status: str,
    topic: str,
    departement: str,
    company: str,
    siren: str,
    link: str,
    received_at: datetime | None,
    taken_at: datetime | None = None,
    closed_at: datetime | None = None,
    taken_office: str | None = None,
) -> dict:
    """``need.received``, ``need.taken``, ``need.closed``: ``kind`` is ``digitalisation``
    (a business's digitalisation need) or ``support`` (a digital firm's support need);
    ``topic`` its domain or its subject; ``taken_office`` the slug of the office that took
    it."""
    return {
        "need": {
            "kind": kind,
            "id": id,
            "status": status,
            "topic": topic,
            "departement": departement,
            "company": company,
            "siren": siren or None,
            "received_at": _when(received_at),
            "taken_at": _when(taken_at),
            "closed_at": _when(closed_at),
            "taken_office": taken_office,
            "link": link,
        }
    }


def event(*, id: int, slug: str, title: str, starts_at: datetime, link: str) -> dict:
    return {"id": id, "slug": slug, "title": title, "starts_at": _when(starts_at), "link": link}


def registration(*, id: int, status: str, company: str, siren: str, event: dict) -> dict:
    """``registration.approved``: the registration (the firm's name and SIREN, no person)
    and its event."""
    return {
        "registration": {"id": id, "status": status, "company": company, "siren": siren or None},
        "event": event,
    }


def schedule(*, event: dict, meetings: int, link: str) -> dict:
    """``schedule.published``: the event, how many meetings were published, and the page of
    the meetings (each participant sees their own agenda there)."""
    return {"event": event, "meetings_published": meetings, "meetings_link": link}
