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


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    GRANTED = "granted", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


class JoinTold(models.TextChoices):
    """Who was told of a request to join, as the person reads it."""

    TEAM_ADMINS = "team_admins", _("aux administrateur·rices de l'équipe")
    TERRITORY_PARTNERS = (
        "territory_partners",
        _("aux conseiller·ères et coordinateur·rices qui suivent son territoire"),
    )
    PROGRAMME_OFFICERS = (
        "programme_officers",
        _("aux chargé·es de mission de la Région et aux administrateur·rices de la plateforme"),
    )


# The roles an organisation's team may hold, by kind of organisation: a firm's people are its
# members; the Region has programme officers; the other partners coordinate and advise.
ROLES_BY_KIND = {
    OrganisationKind.COMPANY: (Role.COMPANY_MEMBER,),
    OrganisationKind.REGIONAL_COUNCIL: (Role.PROGRAMME_OFFICER, Role.COORDINATOR, Role.ADVISER),
}
PARTNER_TEAM_ROLES = (Role.COORDINATOR, Role.ADVISER)


def roles_for(kind: str) -> tuple[str, ...]:
    return ROLES_BY_KIND.get(kind, PARTNER_TEAM_ROLES)


class MailStatus(models.TextChoices):
    """Where a mail is on its way: written with what it tells, then sent by a worker."""

    PENDING = "pending", _("À envoyer")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


class MailCategory(models.TextChoices):
    """What a mail is about, for the person to choose how often they receive it. Transactional
    mails (an address to confirm, an invitation, the answer to what the person did) always go,
    whatever the choices and the unsubscription."""

    TRANSACTIONAL = "transactional", _("Messages liés à vos démarches")
    NEW_NEEDS = "new_needs", _("Nouveaux besoins sur mon territoire")
    REMINDERS = "reminders", _("Relances et enquêtes de satisfaction")
    EVENTS = "events", _("Événements")
    PROJECTS = "projects", _("Projets")
    AID_ALERTS = "aid_alerts", _("Alertes sur les aides")
    DIGESTS = "digests", _("Synthèses et bilans")

    @classmethod
    def chosen(cls) -> list["MailCategory"]:
        """The categories each person sets the frequency of."""
        return [category for category in cls if category != cls.TRANSACTIONAL]


class MailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Dès que possible")
    DAILY = "daily", _("Résumé quotidien")
    WEEKLY = "weekly", _("Résumé hebdomadaire")
    NEVER = "never", _("Jamais")
