from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from filiere.accounts.enums import OrganisationKind
from filiere.accounts.models import Organisation
from filiere.common.forms import (
    REASON_MAX_LENGTH,
    DateField,
    ModelForm,
    UploadForm,
    date_input,
    long_text,
    reason_field,
)
from filiere.directory.forms import firm_lookup_attrs
from filiere.directory.models import LegalUnit, Tag
from filiere.projects.documents import MAX_DOCUMENT_BYTES, check_document
from filiere.projects.enums import (
    SIZE_CHOICES,
    AidForm,
    AidLevel,
    Market,
    Opinion,
    PartnerKind,
    ProjectState,
)
from filiere.projects.models import SHOWCASE_SUMMARY_MAX_LENGTH, AidScheme, Project

DATE = date_input()


class ProjectForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Project
        fields = [
            "title",
            "acronym",
            "lead",
            "cluster",
            "market",
            "trl",
            "summary",
            "skills_wanted",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "starts_on": DATE,
            "ends_on": DATE,
            "skills_wanted": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, lead_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = lead_units
        self.fields["cluster"].queryset = Organisation.objects.filter(kind=OrganisationKind.CLUSTER)
        self.fields["skills_wanted"].queryset = Tag.objects.all()
        self.fields["skills_wanted"].required = False
        if not Tag.objects.exists():
            # No firm has named a skill yet: an empty box of choices says nothing.
            self.fields["skills_wanted"].widget = forms.MultipleHiddenInput()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("La fin prévue précède le début."))
        return data


class ProjectEditForm(ProjectForm):
    """The creation form's fields, and what the change is for (kept in the history)."""

    note = forms.CharField(
        label=_("Ce qui change (facultatif)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Gardé dans l'historique du projet, avec votre nom et la date."),
    )


class ShowcaseForm(forms.Form):
    """The lead's public summary of the project, for the sector's showcase."""

    public_summary = forms.CharField(
        label=_("Résumé public"),
        max_length=SHOWCASE_SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Quelques lignes que tout le monde lira sur la vitrine de la filière, à la place "
            "du résumé du dossier, qui reste confidentiel. La vitrine montre aussi le titre, "
            "le marché, le consortium, la date du label et les financements obtenus."
        ),
    )


class PartnerEditForm(forms.Form):
    """A partner's role and budget, on the project's edit page (one per partner)."""

    kind = forms.ChoiceField(label=_("Rôle dans le consortium"), choices=PartnerKind.choices)
    budget = forms.DecimalField(
        label=_("Budget du partenaire (€)"), min_value=0, max_digits=12, decimal_places=2
    )


class DecisionForm(forms.Form):
    committee = forms.CharField(label=_("Comité"), max_length=200)
    decided_on = DateField(label=_("Date de la décision"), widget=DATE)
    reasons = long_text(_("Motifs de la décision"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = reason_field(_("Motif de la correction"))


class PartnerForm(forms.Form):
    siren = forms.CharField(
        label=_("SIREN (si l'organisme est dans l'annuaire)"),
        max_length=9,
        required=False,
        widget=forms.TextInput(
            attrs=firm_lookup_attrs(value="siren", fill={"name": "name"}, register_only=True)
        ),
    )
    name = forms.CharField(label=_("Nom"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Rôle dans le consortium"), choices=PartnerKind.choices)
    budget = forms.DecimalField(
        label=_("Budget du partenaire (€)"), min_value=0, max_digits=12, decimal_places=2
    )

    def clean(self):
        data = super().clean()
        siren = data.get("siren", "").strip()
        self.legal_unit = None
        if siren:
            self.legal_unit = LegalUnit.objects.filter(siren=siren).first()
            if self.legal_unit is None:
                self.add_error("siren", _("Aucune entreprise de l'annuaire n'a ce SIREN."))
            else:
                data["name"] = self.legal_unit.name
        elif not data.get("name", "").strip():
            self.add_error("name", _("Donnez le SIREN ou le nom du partenaire."))
        return data


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=ProjectState.choices, widget=forms.HiddenInput)
    reason = long_text(_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    committee = forms.CharField(label=_("Comité"), max_length=200, required=False)
    decided_on = DateField(label=_("Date de la décision"), widget=DATE, required=False)
    results = long_text(_("Résultats"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReviewerForm(forms.Form):
    email = forms.EmailField(label=_("E-mail de l'expert"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.reviewer = get_user_model().objects.filter(email__iexact=email).first()
        if self.reviewer is None:
            raise ValidationError(_("Aucun compte n'a cette adresse."))
        return email


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Avez-vous un lien d'intérêts avec le porteur ou un partenaire ?"),
        choices=[("no", _("Non, aucun lien d'intérêts")), ("yes", _("Oui, j'ai un lien"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    statement = long_text(
        _("Nature du lien"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReviewForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Avis"), choices=Opinion.choices)
    comments = long_text(_("Commentaires"))


class ReviewCorrectionForm(ReviewForm):
    reason = reason_field(_("Motif de la correction"))


class DocumentForm(UploadForm):
    max_bytes = MAX_DOCUMENT_BYTES

    file = forms.FileField(label=_("Document (PDF, bureautique, image ; 10 Mo au plus)"))

    def clean_file(self):
        """The upload, checked on its content (``documents.CheckedDocument``)."""
        return check_document(self.cleaned_data["file"])


class FundingForm(forms.Form):
    scheme = forms.ModelChoiceField(
        label=_("Dispositif"), queryset=AidScheme.objects.all(), required=False
    )
    funder = forms.CharField(label=_("Financeur"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Montant (€)"), min_value=0, max_digits=12, decimal_places=2
    )
    granted_on = DateField(label=_("Date d'octroi"), widget=DATE)

    def clean(self):
        data = super().clean()
        if not data.get("funder") and data.get("scheme"):
            data["funder"] = data["scheme"].funder
        if not data.get("funder"):
            self.add_error("funder", _("Indiquez le financeur ou choisissez un dispositif."))
        return data


class FundingCorrectionForm(FundingForm):
    reason = reason_field(_("Motif de la correction"))


class WithdrawForm(forms.Form):
    reason = reason_field(_("Motif du retrait"))


class CancellationForm(forms.Form):
    reason = reason_field(_("Motif de l'annulation"))


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Jalon"), max_length=200)
    due_on = DateField(label=_("Échéance"), widget=DATE)


class ReportForm(forms.Form):
    written_on = DateField(label=_("Date"), widget=DATE)
    text = long_text(_("Compte rendu de suivi technique"))


class ProjectFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous"))] + ProjectState.choices, required=False
    )
    market = forms.ChoiceField(
        label=_("Marché"), choices=[("", _("Tous"))] + Market.choices, required=False
    )
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)


class AidSearchForm(forms.Form):
    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=200)
    market = forms.ChoiceField(
        label=_("Marché"), choices=[("", _("Tous"))] + Market.choices, required=False
    )
    size = forms.ChoiceField(
        label=_("Taille d'entreprise"), choices=[("", _("Toutes"))] + SIZE_CHOICES, required=False
    )
    form = forms.ChoiceField(
        label=_("Forme de l'aide"), choices=[("", _("Toutes"))] + AidForm.choices, required=False
    )
    level = forms.ChoiceField(
        label=_("Échelon"), choices=[("", _("Tous"))] + AidLevel.choices, required=False
    )
    open_only = forms.BooleanField(label=_("Ouverts uniquement"), required=False)


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Nom de la recherche"), max_length=120)
