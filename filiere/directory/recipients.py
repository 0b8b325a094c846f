"""Who receives what the platform sends, so that nothing sent reaches nobody.

A message for a firm goes to its members; a firm without a member is reached at the public
contact address of its profile, else through the advisers who follow its territory, else
through the Region's programme officers. A message for a role nobody holds (an office without
advisers, a cluster without a coordinator) goes to those programme officers too: they run the
contract and its partners' teams. Territories are read by ``accounts.selectors.covering_emails``
alone.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from filiere.accounts.enums import Role
from filiere.accounts.notifications import absolute_url
from filiere.accounts.selectors import covering_emails, member_emails, programme_officer_emails
from filiere.directory.enums import Route
from filiere.directory.models import LegalUnit
from filiere.directory.selectors import main_establishment


@dataclass(frozen=True)
class Recipients:
    """The addresses a message for a firm goes to, and the route that led there (empty when
    nobody at all can receive it)."""

    route: str
    addresses: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.addresses)

    @property
    def to_members(self) -> bool:
        return self.route == Route.MEMBERS

    @property
    def to_firm_addresses(self) -> bool:
        """The firm's own addresses, read by people without an account: the mail says why and
        how to claim the firm."""
        return self.route in (Route.CONTACT_ADDRESS, Route.CONTACTS)

    @property
    def to_advisers(self) -> bool:
        return self.route == Route.ADVISERS

    @property
    def to_programme_officers(self) -> bool:
        return self.route == Route.PROGRAMME_OFFICERS

    @property
    def relayed(self) -> bool:
        """Partners who are asked to pass the message on to the firm."""
        return self.to_advisers or self.to_programme_officers


def firm_departement(unit: LegalUnit) -> str:
    """The département of the firm's head office (else of one of its active establishments);
    empty when the regional register holds none."""
    establishment = main_establishment(unit)
    return establishment.departement_code if establishment else ""


def firm_recipients(
    unit: LegalUnit, *, contacts: bool = False, advisers: bool = True
) -> Recipients:
    """Who receives a message for the firm: its active members; else its public contact
    address; else the advisers who follow the département of its head office; else the
    programme officers who follow it. ``route`` is empty only when even those are missing.

    With ``contacts`` (invitations), the people listed as the firm's contacts in the directory,
    with their consent, are written to beside the firm's own addresses, and no relay is asked
    for a firm they reach. Without ``advisers`` (what advisers may not read, such as an
    innovation project), the programme officers relay at once."""
    listed = [c.email for c in unit.contacts.all() if c.email] if contacts else []
    if unit.organisation_id:
        members = member_emails([unit.organisation_id])
        if members:
            return Recipients(Route.MEMBERS, _once(members + listed))
    if unit.contact_email:
        return Recipients(Route.CONTACT_ADDRESS, _once([unit.contact_email, *listed]))
    if listed:
        return Recipients(Route.CONTACTS, _once(listed))
    departement = firm_departement(unit)
    if advisers:
        relays = covering_emails(departement, [Role.ADVISER])
        if relays:
            return Recipients(Route.ADVISERS, relays)
    officers = programme_officer_emails(departement)
    if officers:
        return Recipients(Route.PROGRAMME_OFFICERS, officers)
    return Recipients("")


def _once(addresses: list[str]) -> list[str]:
    return list(dict.fromkeys(a.strip().lower() for a in addresses))


def or_programme_officers(addresses: list[str], departement: str = "") -> tuple[list[str], bool]:
    """The addresses of a role's holders, or, when nobody holds it, the programme officers who
    follow the département; and whether it came to them (their mail then says why)."""
    if addresses:
        return list(addresses), False
    return programme_officer_emails(departement), True


def claim_link(unit: LegalUnit) -> str:
    """The firm's directory page, where a person of the firm claims it."""
    return absolute_url(reverse("directory:detail", args=[unit.siren]))


def firm_mail_context(unit: LegalUnit, recipients: Recipients) -> dict:
    """What every mail to a firm needs to say why its reader receives it
    (``directory/email/_why_you.txt``)."""
    return {"firm": unit, "recipients": recipients, "claim_link": claim_link(unit)}
