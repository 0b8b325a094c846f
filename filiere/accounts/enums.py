from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    REGIONAL_COUNCIL = "regional_council", _("Conseil régional")
    DEVELOPMENT_AGENCY = "development_agency", _("Agence de développement")
    CLUSTER = "cluster", _("Pôle de compétitivité")
    BUSINESS_ASSOCIATION = "business_association", _("Association d'entreprises")
    LABEL_NETWORK = "label_network", _("Label / réseau de startups")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("Chambre de commerce et d'industrie")
    CHAMBER_OF_TRADES = "chamber_of_trades", _("Chambre de métiers et de l'artisanat")
    LIVING_LAB = "living_lab", _("Living lab / culture scientifique")
    FUNDER = "funder", _("Financeur")
    LABORATORY = "laboratory", _("Laboratoire")
    COMPANY = "company", _("Entreprise")
    OTHER = "other", _("Autre")


class Role(models.TextChoices):
    """What a member may do on behalf of an organisation."""

    PROGRAMME_OFFICER = "programme_officer", _("Chargé·e de mission de la Région")
    COORDINATOR = "coordinator", _("Coordinateur·rice")
    ADVISER = "adviser", _("Conseiller·ère")
    COMPANY_MEMBER = "company_member", _("Membre d'entreprise")


# The roles of the contract's partners (Region, coordinators, advisers), as opposed to firms.
PARTNER_ROLES = frozenset({Role.PROGRAMME_OFFICER, Role.COORDINATOR, Role.ADVISER})
