"""What the projects hold about a person: their reviews (declarations and opinions), the
documents they uploaded, the reports they wrote, the moves they made, their saved searches."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filiere.accounts.personal_data import Erasure, Section, register
from filiere.common.exports import Column
from filiere.projects.models import Document, FollowUpReport, Review, SavedSearch, Transition

REVIEWS = (
    Column("projet", _("Projet"), lambda r: r.project.title),
    Column("nomme_le", _("Nommé·e le"), lambda r: r.assigned_at),
    Column("conflit", _("Conflit d'intérêts"), lambda r: r.has_conflict),
    Column("declaration", _("Déclaration"), lambda r: r.conflict_statement),
    Column("declare_le", _("Déclaré le"), lambda r: r.declared_at),
    Column("avis", _("Avis"), lambda r: str(r.get_opinion_display())),
    Column("commentaires", _("Commentaires"), lambda r: r.comments),
    Column("rendu_le", _("Rendu le"), lambda r: r.submitted_at),
)
DOCUMENTS = (
    Column("projet", _("Projet"), lambda d: d.project.title),
    Column("fichier", _("Fichier"), lambda d: d.name),
    Column("taille_octets", _("Taille (octets)"), lambda d: d.size),
    Column("depose_le", _("Déposé le"), lambda d: d.uploaded_at),
)
REPORTS = (
    Column("projet", _("Projet"), lambda r: r.project.title),
    Column("date", _("Date"), lambda r: r.written_on),
    Column("texte", _("Compte rendu"), lambda r: r.text),
)
TRANSITIONS = (
    Column("projet", _("Projet"), lambda t: t.project.title),
    Column("de", _("De"), lambda t: str(t.get_from_state_display())),
    Column("vers", _("Vers"), lambda t: str(t.get_to_state_display())),
    Column("le", _("Date"), lambda t: t.at),
    Column("motif", _("Motif"), lambda t: t.reason),
)
SEARCHES = (
    Column("nom", _("Nom"), lambda s: s.name),
    Column(
        "criteres",
        _("Critères"),
        lambda s: ", ".join(f"{key} : {value}" for key, value in s.criteria.items()),
    ),
    Column("creee_le", _("Créée le"), lambda s: s.created_at),
)

# A review that holds an opinion or a declared conflict is part of the project's file.
ANSWERED = Q(submitted_at__isnull=False) | Q(has_conflict=True)


def export(user) -> list[Section]:
    return [
        Section(
            "expertises",
            _("Expertises de projets"),
            REVIEWS,
            Review.objects.filter(reviewer=user).select_related("project").order_by("pk"),
        ),
        Section(
            "documents_deposes",
            _("Documents déposés"),
            DOCUMENTS,
            Document.objects.filter(uploaded_by=user).select_related("project").order_by("pk"),
        ),
        Section(
            "comptes_rendus_rediges",
            _("Comptes rendus de suivi rédigés"),
            REPORTS,
            FollowUpReport.objects.filter(author=user).select_related("project").order_by("pk"),
        ),
        Section(
            "etapes_projets",
            _("Étapes de projets décidées"),
            TRANSITIONS,
            Transition.objects.filter(by=user).select_related("project").order_by("pk"),
        ),
        Section(
            "recherches_enregistrees",
            _("Recherches d'aides enregistrées"),
            SEARCHES,
            SavedSearch.objects.filter(user=user).order_by("pk"),
        ),
    ]


def erase(user) -> None:
    reviews = Review.objects.filter(reviewer=user)
    # An opinion given or a conflict declared is what the decision rests on, and the file's
    # proof that the expertise was fair: it stays, the expert unnamed.
    reviews.filter(ANSWERED).update(reviewer=None)
    # An expert who had given nothing yet will give nothing: the assignment goes, so that the
    # project counts no expert who will never answer and the cluster names another.
    reviews.delete()
    # The documents, reports and moves are the project's file: they stay, unsigned.
    Document.objects.filter(uploaded_by=user).update(uploaded_by=None)
    FollowUpReport.objects.filter(author=user).update(author=None)
    Transition.objects.filter(by=user).update(by=None)
    # A saved search only serves its owner's alerts.
    SavedSearch.objects.filter(user=user).delete()


register(
    "projects",
    models={
        Review: Erasure.KEPT,
        Document: Erasure.KEPT,
        FollowUpReport: Erasure.KEPT,
        Transition: Erasure.KEPT,
        SavedSearch: Erasure.DELETED,
    },
    export=export,
    erase=erase,
)
