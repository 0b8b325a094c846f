import re

from django import forms
from django.db import models
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from filiere.common.forms import (
    DateField,
    ModelForm,
    OwnIds,
    UploadForm,
    date_input,
    long_text,
    reason_field,
)
from filiere.common.validators import validate_siren
from filiere.directory.forms import firm_lookup_attrs
from filiere.directory.models import LegalUnit
from filiere.registers.enums import (
    DatalabStatus,
    HostingOutcome,
    ThirdPlaceStatus,
    TrainingFormat,
)
from filiere.registers.models import Cohort, DatalabProject, Dataset, Residence, ThirdPlace
from filiere.registers.selectors import third_place_departements
from filiere.territory.models import Region

DATE = date_input()


def _all(label):
    return [("", label)]


class HostingFilterForm(forms.Form):
    residence = forms.ModelChoiceField(
        label=_("Résidence"),
        queryset=Residence.objects.all(),
        required=False,
        empty_label=_("Toutes"),
    )
    outcome = forms.ChoiceField(
        label=_("Devenir"), choices=_all(_("Tous")) + HostingOutcome.choices, required=False
    )
    present = forms.BooleanField(label=_("Hébergées aujourd'hui"), required=False)


class DatalabFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"), choices=_all(_("Tous")) + DatalabStatus.choices, required=False
    )
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)


class ThirdPlaceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"), choices=_all(_("Tous")) + ThirdPlaceStatus.choices, required=False
    )
    departement = forms.ChoiceField(label=_("Département"), required=False)
    q = forms.CharField(label=_("Nom ou commune"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = _all(_("Tous")) + [
            (d.code, f"{d.code} — {d.name}") for d in third_place_departements()
        ]


class TrainingFilterForm(forms.Form):
    # Not "format": that query parameter asks for the CSV export.
    modality = forms.ChoiceField(
        label=_("Modalité"), choices=_all(_("Toutes")) + TrainingFormat.choices, required=False
    )
    year = forms.IntegerField(
        label=_("Année de création"), min_value=2000, max_value=2100, required=False
    )
    q = forms.CharField(label=_("Intitulé ou organisme"), required=False, max_length=200)


class ThirdPlaceApplicationForm(ModelForm):
    website = forms.URLField(
        label=_("Site web"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta(ModelForm.Meta):
        model = ThirdPlace
        fields = ["name", "pivot", "address", "postcode", "city", "services", "website"]
        widgets = {
            "services": forms.Textarea(attrs={"rows": 3}),
            # A third place is often a firm or an association of the SIRENE register.
            "name": forms.TextInput(
                attrs=firm_lookup_attrs(
                    fill={"address": "address", "postcode": "postcode", "city": "city"}
                )
            ),
        }
        help_texts = {
            "pivot": _(
                "Le SIRET du lieu, ou le numéro RNA de son association : sans lui, le lieu "
                "n'entre pas dans les données ouvertes des lieux de médiation numérique."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].required = True
        self.fields["services"].required = True

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if not (len(postcode) == 5 and postcode.isdigit()):
            raise forms.ValidationError(_("Un code postal a 5 chiffres."))
        return postcode


class ThirdPlaceDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (ThirdPlaceStatus.LABELLED, _("Labelliser")),
            (ThirdPlaceStatus.REFUSED, _("Ne pas labelliser")),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = DateField(label=_("Date de la décision"), widget=DATE)
    decision_note = long_text(_("Motifs"), widget=forms.Textarea(attrs={"rows": 3}))


class CohortForm(OwnIds, forms.Form):
    ids_prefix = "cohort"
    residence = forms.ModelChoiceField(label=_("Résidence"), queryset=Residence.objects.none())
    name = forms.CharField(label=_("Nom de la promotion"), max_length=80)
    starts_on = DateField(label=_("Début"), widget=DATE)

    def __init__(self, *args, residences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence"].queryset = residences


class HostingForm(OwnIds, forms.Form):
    ids_prefix = "hosting"
    cohort = forms.ModelChoiceField(label=_("Promotion"), queryset=Cohort.objects.none())
    siren = forms.CharField(
        label=_("SIREN (si l'entreprise est dans l'annuaire)"),
        max_length=9,
        required=False,
        validators=[validate_siren],
        widget=forms.TextInput(
            attrs=firm_lookup_attrs(value="siren", fill={"name": "firm_name"}, register_only=True)
        ),
    )
    firm_name = forms.CharField(label=_("Nom de l'entreprise"), max_length=255, required=False)
    entered_on = DateField(label=_("Entrée"), widget=DATE)

    def __init__(self, *args, residences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(
            residence__in=residences
        ).select_related("residence")

    def clean(self):
        data = super().clean()
        siren = data.get("siren")
        data["legal_unit"] = None
        if siren:
            data["legal_unit"] = LegalUnit.objects.filter(siren=siren).first()
            if data["legal_unit"] is None:
                self.add_error(
                    "siren",
                    _("Ce SIREN n'est pas dans l'annuaire : laissez-le vide et donnez le nom."),
                )
        elif not data.get("firm_name", "").strip():
            self.add_error("firm_name", _("Donnez le nom de l'entreprise ou son SIREN."))
        return data


class HostingExitForm(forms.Form):
    left_on = DateField(label=_("Sortie"), widget=DATE)
    outcome = forms.ChoiceField(
        label=_("Devenir"),
        choices=[c for c in HostingOutcome.choices if c[0] != HostingOutcome.HOSTED],
    )
    outcome_note = forms.CharField(label=_("Précisions"), max_length=255, required=False)


class HostingCorrectionForm(forms.Form):
    firm_name = forms.CharField(label=_("Nom de l'entreprise"), max_length=255)
    entered_on = DateField(label=_("Entrée"), widget=DATE)
    left_on = DateField(label=_("Sortie"), widget=DATE, required=False)
    outcome = forms.ChoiceField(label=_("Devenir"), choices=HostingOutcome.choices)
    outcome_note = forms.CharField(label=_("Précisions"), max_length=255, required=False)
    reason = reason_field()


class DecisionCorrectionForm(ThirdPlaceDecisionForm):
    reason = reason_field()


class TrainingPathCorrectionForm(forms.Form):
    """A training path's fields, as the import gives them, and the reason of the correction."""

    title = forms.CharField(label=_("Intitulé"), max_length=200)
    provider_name = forms.CharField(label=_("Organisme de formation"), max_length=255)
    provider_siren = forms.CharField(
        label=_("SIREN de l'organisme"),
        required=False,
        max_length=9,
        help_text=_("Pour le relier à sa fiche de l'annuaire."),
        widget=forms.TextInput(
            attrs=firm_lookup_attrs(
                value="siren", fill={"name": "provider_name"}, register_only=True
            )
        ),
    )
    region = forms.ModelChoiceField(label=_("Région du registre"), queryset=Region.objects.none())
    format = forms.ChoiceField(label=_("Modalité"), choices=TrainingFormat.choices)
    hours = forms.IntegerField(label=_("Durée (heures)"), min_value=1, max_value=32767)
    created_on = DateField(label=_("Créé le"), widget=DATE)
    url = forms.URLField(label=_("Lien"), required=False, max_length=200, assume_scheme="https")
    reason = reason_field()

    def __init__(self, *args, path, **kwargs):
        super().__init__(*args, **kwargs)
        # The régions of the import, and the path's own even without a contract now.
        self.fields["region"].queryset = Region.objects.filter(
            models.Q(contract__isnull=False) | models.Q(pk=path.region_id)
        ).distinct()

    def clean_provider_siren(self):
        siren = self.cleaned_data["provider_siren"].strip()
        if not siren:
            return None
        validate_siren(siren)
        unit = LegalUnit.objects.filter(siren=siren).first()
        if unit is None:
            raise forms.ValidationError(
                _("Absent de l'annuaire : laissez le SIREN vide, l'organisme garde son nom.")
            )
        return unit


def contract_regions(form) -> None:
    """Offer the régions that have a contract; when there is one, it is chosen in advance."""
    field = form.fields["region"]
    field.queryset = Region.objects.filter(contract__isnull=False).distinct()
    regions = list(field.queryset[:2])
    if len(regions) == 1:
        form.initial.setdefault("region", regions[0].pk)


class TrainingImportForm(UploadForm):
    max_bytes = 5 * 1024 * 1024

    region = forms.ModelChoiceField(label=_("Région du registre"), queryset=Region.objects.none())
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes : intitule, organisme, modalite, heures, cree_le (AAAA-MM-JJ), "
            "et au choix siren, lien — la disposition de l'export."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contract_regions(self)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        try:
            data["text"] = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            self.add_error("file", _("Le fichier doit être en UTF-8."))
        return data


class DatalabProjectForm(ModelForm):
    partner_sirens = forms.CharField(
        label=_("Partenaires de l'annuaire (SIREN)"),
        required=False,
        max_length=2000,
        help_text=_("Un SIREN par ligne ou séparés par des virgules."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta(ModelForm.Meta):
        model = DatalabProject
        fields = ["title", "summary", "region", "status", "started_on", "other_partners"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "started_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contract_regions(self)
        if self.instance.pk:
            self.initial["partner_sirens"] = "\n".join(
                self.instance.partners.values_list("siren", flat=True)
            )
            # Changing a recorded project says why: its history keeps it.
            self.fields["reason"] = reason_field()

    def clean_partner_sirens(self):
        sirens = [s for s in re.split(r"[\s,;]+", self.cleaned_data["partner_sirens"]) if s]
        for siren in sirens:
            validate_siren(siren)
        units = {u.siren: u for u in LegalUnit.objects.filter(siren__in=sirens)}
        unknown = [s for s in sirens if s not in units]
        if unknown:
            raise forms.ValidationError(
                _("Absents de l'annuaire : %(sirens)s (nommez-les dans « autres partenaires »).")
                % {"sirens": ", ".join(unknown)}
            )
        return list(units.values())


# A tuple: the inline formset adds its foreign key to a list of fields in place.
DATASET_FIELDS = ("name", "role", "url", "licence")


class DatasetForm(ModelForm):
    url = forms.URLField(label=_("Lien"), required=False, max_length=200, assume_scheme="https")

    class Meta(ModelForm.Meta):
        model = Dataset
        fields = DATASET_FIELDS


class BaseDatasetFormSet(BaseInlineFormSet):
    def kept(self) -> list[dict]:
        """The data sets to keep once the valid formset is saved, as plain data: each line's
        fields, with the ``id`` of those already recorded (None for a new one); the lines
        left empty or ticked for deletion are not among them."""
        deleted = self.deleted_forms
        return [
            {
                "id": form.instance.pk,
                **{name: form.cleaned_data[name] for name in DATASET_FIELDS},
            }
            for form in self.forms
            if form not in deleted and (form.instance.pk or form.has_changed())
        ]


DatasetFormSet = inlineformset_factory(
    DatalabProject,
    Dataset,
    form=DatasetForm,
    formset=BaseDatasetFormSet,
    extra=2,
    can_delete=True,
)
