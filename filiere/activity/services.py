"""The quarterly mail of the offices' activity to each office's managers."""

from datetime import date, timedelta

from django.urls import reverse

from filiere.accounts.enums import MailCategory
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import team_admin_emails
from filiere.activity.selectors import office_activity, receiving_offices
from filiere.directory.recipients import or_programme_officers


def last_quarter(today: date) -> tuple[date, date]:
    """The calendar quarter before the one ``today`` is in: its first and last days."""
    first_of_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_this - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def activity_mail_quarter(*, today: date) -> int:
    """Mail each office that received needs last quarter its figures, to its managers (those
    who run its team), or, when nobody runs it, to the Region's programme officers. Returns
    how many offices were told."""
    start, end = last_quarter(today)
    offices = list(receiving_offices())
    rows = office_activity(offices, start=start, end=end).rows
    link = absolute_url(reverse("activity:office_activity"))
    told = 0
    for office in offices:
        mine = [row for row in rows if row.office.pk == office.pk]
        if not mine:
            continue
        emails, unmanaged = or_programme_officers(team_admin_emails(office))
        query = f"?office={office.slug}&start={start.isoformat()}&end={end.isoformat()}"
        send_on_commit(
            emails,
            subject=f"Activité de {office} du {start:%d/%m/%Y} au {end:%d/%m/%Y}",
            template="activity/email/quarter.txt",
            context={
                "office": office,
                "rows": mine,
                "start": start,
                "end": end,
                "unmanaged": unmanaged,
                "link": link + query,
            },
            category=MailCategory.DIGESTS,
        )
        told += 1
    return told
