from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who reads an internal note besides its author: chosen by the author."""

    ORGANISATION = "organisation", _("Mon organisation seulement")
    PARTNERS = "partners", _("Tous les partenaires du contrat")


class EntryKind(models.TextChoices):
    """The kinds of a case file's timeline, the order its filters show them in."""

    NEED = "need", _("Besoins de digitalisation")
    MATCH = "match", _("Mises en relation comme prestataire")
    SUPPORT = "support", _("Accompagnement")
    EVENT = "event", _("Événements et délégations")
    MEETING = "meeting", _("Rendez-vous d'affaires")
    PROJECT = "project", _("Projets d'innovation")
    FUNDING = "funding", _("Financements")
    HOSTING = "hosting", _("Hébergements")
    LABEL = "label", _("Labels")
    CONTACT = "contact", _("Contacts")
    NOTE = "note", _("Notes internes")
