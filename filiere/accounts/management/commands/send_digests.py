"""Write the digest mails: one per person, listing the notifications held for their daily
(or weekly) digest, as the periodic tasks do each evening (and on Fridays).

    python -m filiere send_digests --frequency daily

The held notifications are deleted with their digest written: running it again sends nothing
more.
"""

from filiere.accounts.enums import MailFrequency
from filiere.accounts.notifications import send_digests
from filiere.common.command import BaseCommand


class Command(BaseCommand):
    help = __doc__
    atomic = False  # the digests are written in their own transaction

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[MailFrequency.DAILY.value, MailFrequency.WEEKLY.value],
            default=MailFrequency.DAILY.value,
            help="Le résumé à envoyer : daily (quotidien) ou weekly (hebdomadaire).",
        )

    def run(self, *args, frequency, **options):
        self.summary.add("résumés écrits", send_digests(frequency))
