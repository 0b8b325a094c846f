from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.common.taking import TakingStatus


class Domain(models.TextChoices):
    WEB = "web", _("Site web, e-commerce")
    MANAGEMENT = "management", _("Gestion, ERP, CRM")
    CYBERSECURITY = "cybersecurity", _("Cybersécurité")
    DATA = "data", _("Données, intelligence artificielle")
    CLOUD = "cloud", _("Cloud, hébergement, infrastructure")
    MARKETING = "marketing", _("Marketing numérique, réseaux sociaux")
    TRAINING = "training", _("Formation au numérique")
    OTHER = "other", _("Autre")


class BudgetBand(models.TextChoices):
    UNKNOWN = "unknown", _("Je ne sais pas encore")
    UNDER_5K = "under_5k", _("Moins de 5 000 €")
    FROM_5K = "5k_20k", _("De 5 000 à 20 000 €")
    FROM_20K = "20k_50k", _("De 20 000 à 50 000 €")
    OVER_50K = "over_50k", _("Plus de 50 000 €")


class NeedStatus(models.TextChoices):
    """Its address confirmed, a need is taken by one adviser and closed with an outcome, or
    abandoned, as every need taken in charge is (``common.taking``); its business may close
    it itself."""

    UNCONFIRMED = "unconfirmed", _("Adresse à confirmer")
    NEW = TakingStatus.NEW.value, TakingStatus.NEW.label
    TAKEN = TakingStatus.TAKEN.value, TakingStatus.TAKEN.label
    DONE = TakingStatus.DONE.value, TakingStatus.DONE.label
    DONE_WITHOUT_HELP = TakingStatus.DONE_WITHOUT_HELP.value, TakingStatus.DONE_WITHOUT_HELP.label
    NOT_REACHABLE = TakingStatus.NOT_REACHABLE.value, TakingStatus.NOT_REACHABLE.label
    ABANDONED = TakingStatus.ABANDONED.value, TakingStatus.ABANDONED.label
    CLOSED = "closed", _("Clos par l'entreprise")


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggéré")
    REQUESTED = "requested", _("Contact demandé")
    ACCEPTED = "accepted", _("Accepté par le prestataire")
    DECLINED = "declined", _("Décliné par le prestataire")


class Outcome(models.TextChoices):
    CONTACT_MADE = "contact_made", _("Premier échange")
    QUOTE = "quote", _("Devis reçu")
    CONTRACT_SIGNED = "contract_signed", _("Contrat signé")
    NO_DEAL = "no_deal", _("Sans suite")


class Side(models.TextChoices):
    BUSINESS = "business", _("Entreprise")
    PROVIDER = "provider", _("Prestataire")
