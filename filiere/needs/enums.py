from django.db import models
from django.utils.translation import gettext_lazy as _


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
    UNCONFIRMED = "unconfirmed", _("Adresse à confirmer")
    OPEN = "open", _("Ouvert")
    QUALIFIED = "qualified", _("Qualifié par un conseiller")
    REDIRECTED = "redirected", _("Réorienté")
    CLOSED = "closed", _("Clos")


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
