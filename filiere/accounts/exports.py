"""The columns of the partners' roles table, for the programme officers' page and its CSV."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from filiere.accounts.enums import Role
from filiere.common.exports import Column


def _area(membership) -> str:
    return ", ".join(membership.departements) or str(_("Tout le territoire"))


PARTNER_ROLES_COLUMNS = (
    Column(
        "organisation",
        _("Organisation"),
        lambda m: m.organisation.name,
        link=lambda m: reverse("accounts:team", args=[m.organisation.slug]),
    ),
    Column("personne", _("Personne"), lambda m: m.user.get_full_name() or m.user.email),
    Column("email", _("E-mail"), lambda m: m.user.email),
    Column("role", _("Rôle"), lambda m: m.role, choices=Role),
    Column("administrateur", _("Administrateur·rice"), lambda m: m.is_admin),
    Column("territoire", _("Territoire"), _area),
    Column("depuis_le", _("Depuis le"), lambda m: m.created_at, on_page=False),
)
