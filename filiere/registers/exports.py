"""The columns of the registers' lists, for their pages and their CSV exports."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from filiere.common.exports import Column
from filiere.registers.enums import (
    DatalabStatus,
    DatasetRole,
    HostingOutcome,
    ThirdPlaceStatus,
    TrainingFormat,
)


def _pick(columns, *names: str) -> tuple[Column, ...]:
    """Some of a list's columns, in a page's order."""
    by_name = {column.name: column for column in columns}
    return tuple(by_name[name] for name in names)


HOSTINGS = (
    Column("residence", _("Résidence"), lambda h: h.cohort.residence.name),
    Column("promotion", _("Promotion"), lambda h: h.cohort.name),
    Column("entreprise", _("Entreprise"), lambda h: h.firm_name),
    Column("siren", _("SIREN"), lambda h: h.legal_unit.siren if h.legal_unit else ""),
    Column("entree", _("Entrée"), lambda h: h.entered_on),
    Column("sortie", _("Sortie"), lambda h: h.left_on),
    Column("devenir", _("Devenir"), lambda h: h.outcome, choices=HostingOutcome),
    Column("precisions", _("Précisions"), lambda h: h.outcome_note),
    Column("demonstration", _("Démonstration"), lambda h: h.is_demo),
)
# The page's table leads with the firm; its rows carry the exit form, so only the header
# is read from the columns.
HOSTINGS_TABLE = _pick(
    HOSTINGS, "entreprise", "residence", "promotion", "entree", "sortie", "devenir"
)


def _partners(project) -> str:
    names = [unit.name for unit in project.partners.all()]
    if project.other_partners:
        names.append(project.other_partners)
    return "; ".join(names)


def _datasets(role: str):
    def names(project) -> str:
        return "; ".join(d.name for d in project.datasets.all() if d.role == role)

    return names


DATALAB = (
    Column("titre", _("Titre"), lambda p: p.title),
    Column("etat", _("État"), lambda p: p.status, choices=DatalabStatus),
    Column("lancement", _("Lancement"), lambda p: p.started_on),
    Column("partenaires", _("Partenaires"), _partners),
    Column("jeux_utilises", _("Jeux utilisés"), _datasets(DatasetRole.USES)),
    Column("jeux_publies", _("Jeux publiés"), _datasets(DatasetRole.PUBLISHES)),
    Column("demonstration", _("Démonstration"), lambda p: p.is_demo),
)


THIRD_PLACES = (
    Column(
        "nom",
        _("Lieu"),
        lambda p: p.name,
        link=lambda p: reverse("registers:third_place", args=[p.pk]),
    ),
    Column("adresse", _("Adresse"), lambda p: p.address, on_page=False),
    Column("code_postal", _("Code postal"), lambda p: p.postcode, on_page=False),
    Column("commune", _("Commune"), lambda p: p.city),
    Column("departement", _("Département"), lambda p: p.departement_code),
    Column("latitude", _("Latitude"), lambda p: p.latitude, on_page=False),
    Column("longitude", _("Longitude"), lambda p: p.longitude, on_page=False),
    Column("etat", _("État"), lambda p: p.status, choices=ThirdPlaceStatus),
    Column("candidature", _("Candidature le"), lambda p: p.applied_on, on_page=False),
    Column("decision", _("Décision le"), lambda p: p.decided_on, on_page=False),
    Column("source", _("Source"), lambda p: p.source, on_page=False),
    # On the page, the demo badge beside the place's name says it.
    Column(
        "decision_de_demonstration",
        _("Décision de démonstration"),
        lambda p: p.is_demo,
        on_page=False,
    ),
)


TRAINING_PATHS = (
    Column(
        "intitule",
        _("Intitulé"),
        lambda t: t.title,
        demo_badge=True,
        link=lambda t: reverse("registers:training_path", args=[t.pk]),
    ),
    Column("organisme", _("Organisme"), lambda t: t.provider_name),
    Column("siren", _("SIREN"), lambda t: t.provider.siren if t.provider else "", on_page=False),
    Column("modalite", _("Modalité"), lambda t: t.format, choices=TrainingFormat),
    Column("heures", _("Durée"), lambda t: t.hours, suffix=" h"),
    Column("cree_le", _("Créé le"), lambda t: t.created_on),
    Column("lien", _("Lien"), lambda t: t.url, on_page=False),
    Column("demonstration", _("Démonstration"), lambda t: t.is_demo, on_page=False),
)
