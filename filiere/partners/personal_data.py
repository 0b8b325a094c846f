"""What the partners' API holds about a person: the keys they created or revoked for their
organisation. A key is the organisation's: on erasure it stays, unsigned, and a key whose
creator is gone no longer answers (``services.key_refusal``)."""

from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.partners.models import ApiKey

KEYS = (
    Column("organisation", _("Organisation"), lambda key: key.organisation.name),
    Column("nom", _("Nom"), lambda key: key.name),
    Column("prefixe", _("Préfixe"), lambda key: key.prefix),
    Column("creee_le", _("Créée le"), lambda key: key.created_at),
    Column("revoquee_le", _("Révoquée le"), lambda key: key.revoked_at),
)


def export(user) -> list[Section]:
    return [
        Section(
            "cles_api_creees",
            _("Clés d'API créées"),
            KEYS,
            ApiKey.objects.filter(created_by=user).select_related("organisation").order_by("pk"),
        ),
        Section(
            "cles_api_revoquees",
            _("Clés d'API révoquées"),
            KEYS,
            ApiKey.objects.filter(revoked_by=user).select_related("organisation").order_by("pk"),
        ),
    ]


def erase(user) -> None:
    ApiKey.objects.filter(created_by=user).update(created_by=None)
    ApiKey.objects.filter(revoked_by=user).update(revoked_by=None)


register("partners", models={ApiKey: Erasure.KEPT}, export=export, erase=erase)
