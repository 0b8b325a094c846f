"""People join the firm they work for: its directory entry gets an organisation (its team)
when it has none yet, and the request is granted at once when the person's verified address
is at the firm's web domain; otherwise it waits for the firm's admins, or for the partners
covering its territory when the firm has no admin yet (``accounts.services.teams``)."""

from urllib.parse import urlsplit

from django.db import transaction

from filiere.accounts.enums import OrganisationKind
from filiere.accounts.models import JoinRequest, Organisation
from filiere.accounts.selectors import verified_emails
from filiere.accounts.services.teams import join_request_record
from filiere.directory import access
from filiere.directory.models import LegalUnit
from filiere.directory.selectors import main_establishment

# Addresses anyone may open: a match with a firm's site at such a domain proves nothing.
SHARED_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.fr",
        "yahoo.com",
        "hotmail.fr",
        "hotmail.com",
        "outlook.fr",
        "outlook.com",
        "live.fr",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "neuf.fr",
        "bbox.fr",
        "laposte.net",
        "aol.com",
        "gmx.fr",
        "gmx.com",
        "proton.me",
        "protonmail.com",
        "yandex.com",
    }
)


def web_domain(url: str) -> str:
    """The host of a firm's website, without « www. », lower-cased ("" when none)."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    return host.removeprefix("www.")


def domain_matches(user, unit: LegalUnit) -> bool:
    """The person's verified address is at the firm's web domain (not a shared mail domain)."""
    domain = web_domain(unit.website)
    if not domain or domain in SHARED_MAIL_DOMAINS:
        return False
    return any(email.rpartition("@")[2] == domain for email in verified_emails(user))


def firm_organisation(unit: LegalUnit) -> Organisation:
    """The firm's organisation (its team), made from its register entry when it has none."""
    if unit.organisation_id:
        return unit.organisation
    head_office = main_establishment(unit)
    seat = head_office if head_office and head_office.is_head_office else None
    organisation, _created = Organisation.objects.get_or_create(
        slug=f"entreprise-{unit.siren}",
        defaults={
            "name": unit.name,
            "short_name": unit.acronym[:40],
            "kind": OrganisationKind.COMPANY,
            "siren": unit.siren,
            "siret": seat.siret if seat and seat.siret.startswith(unit.siren) else "",
            "commune": head_office.commune if head_office else None,
            "website": unit.website,
            "is_demo": unit.is_demo,
        },
    )
    unit.organisation = organisation
    unit.save(update_fields=["organisation", "updated_at"])
    return organisation


@transaction.atomic
def firm_join(*, user, unit: LegalUnit, message: str = "", now=None) -> JoinRequest:
    """A signed-in person asks to join the firm of a directory entry."""
    # Two people claiming a memberless firm at once make one organisation.
    unit = (
        LegalUnit.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=unit.pk)
    )
    access.check_join(user, unit)
    return join_request_record(
        user=user,
        organisation=firm_organisation(unit),
        message=message,
        by_domain=domain_matches(user, unit),
        now=now,
    )
