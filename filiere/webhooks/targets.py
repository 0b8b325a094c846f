"""Where a webhook may be sent: an https URL of a public address. A URL that names (or
resolves to) a loopback, private, link-local or reserved address is refused, so that the
platform's workers cannot be used to reach the machines of its own network; plain http and
such addresses are allowed only where FILIERE_WEBHOOK_ALLOW_PRIVATE is set (development,
tests). Checked when the endpoint is saved and again before each attempt (a name may resolve
elsewhere later)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class UnsafeTarget(ValueError):
    """The URL may not be sent to; the message says why, in the user's words."""


class UnknownHost(UnsafeTarget):
    """The name resolves to nothing (now: a DNS outage passes)."""


def _addresses(host: str, port: int) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise UnknownHost(
            _("Le nom %(host)s ne correspond à aucune adresse.") % {"host": host}
        ) from exc
    addresses = set()
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        addresses.add(address)
    return addresses


def check_target(url: str) -> None:
    """Raise :class:`UnsafeTarget` unless deliveries may go to ``url``."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(_("Cette adresse n'est pas une URL valide.")) from exc
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeTarget(_("Donnez une adresse qui commence par https://."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("L'adresse ne peut pas contenir d'identifiant ni de mot de passe."))
    default_port = 443 if parts.scheme == "https" else 80
    addresses = _addresses(parts.hostname, port or default_port)
    internal = any(not address.is_global for address in addresses)
    allowed = settings.FILIERE_WEBHOOK_ALLOW_PRIVATE
    if internal and not allowed:
        raise UnsafeTarget(
            _("Cette adresse mène à un réseau privé ou local : donnez une adresse publique.")
        )
    if parts.scheme != "https" and not (internal and allowed):
        raise UnsafeTarget(_("Donnez une adresse qui commence par https://."))
