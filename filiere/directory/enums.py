from django.db import models
from django.utils.translation import gettext_lazy as _


class EstablishmentStatus(models.TextChoices):
    ACTIVE = "A", _("Actif")
    CLOSED = "F", _("Fermé")


class LegalUnitStatus(models.TextChoices):
    ACTIVE = "A", _("Active")
    CEASED = "C", _("Cessée")


class LabelKind(models.TextChoices):
    FRENCH_TECH = "french_tech", _("Label French Tech")
    CLUSTER = "cluster", _("Membre d'un pôle ou d'un cluster")
    RESIDENCE = "residence", _("Résidence")
    OTHER = "other", _("Autre")


class LabelRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    GRANTED = "granted", _("Accordé")
    REFUSED = "refused", _("Refusé")
    WITHDRAWN = "withdrawn", _("Retiré")


# A firm holds or awaits a label while a request of it is in one of these statuses: one at a
# time per firm and label.
OPEN_LABEL_STATUSES = (LabelRequestStatus.PENDING, LabelRequestStatus.GRANTED)


class SizeClass(models.TextChoices):
    """Headcount bands grouped the way users filter."""

    NONE = "none", _("Sans salarié ou inconnu")
    MICRO = "micro", _("1 à 9 salariés")
    SMALL = "small", _("10 à 49 salariés")
    MEDIUM = "medium", _("50 à 249 salariés")
    LARGE = "large", _("250 salariés et plus")


SIZE_CLASS_BANDS = {
    SizeClass.NONE: ["NN", "00"],
    SizeClass.MICRO: ["01", "02", "03"],
    SizeClass.SMALL: ["11", "12"],
    SizeClass.MEDIUM: ["21", "22", "31"],
    SizeClass.LARGE: ["32", "41", "42", "51", "52", "53"],
}


class Route(models.TextChoices):
    """Who received what the platform sent to a firm (``directory.recipients``), as the sender
    reads it."""

    MEMBERS = "members", _("Transmis à l'équipe de l'entreprise")
    CONTACT_ADDRESS = "contact_address", _("Transmis à l'adresse de contact de l'entreprise")
    CONTACTS = "contacts", _("Transmis aux contacts de l'entreprise")
    ADVISERS = "advisers", _("Transmis au conseiller qui suit son territoire")
    PROGRAMME_OFFICERS = "programme_officers", _("Transmis aux chargé·es de mission de la Région")


class FirmSource(models.TextChoices):
    """Where a firm suggested in a form comes from (``directory.firm_lookup``)."""

    API = "api", _("Répertoire Sirene")
    REGISTER = "register", _("Annuaire de la plateforme")
