from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.registers.enums import (
    DatalabStatus,
    HostingOutcome,
    ThirdPlaceStatus,
    TrainingFormat,
)
from filiere.registers.models import Residence, ThirdPlace

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
    q = forms.CharField(label=_("Rechercher"), required=False)


class ThirdPlaceFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"), choices=_all(_("Tous")) + ThirdPlaceStatus.choices, required=False
    )
    departement = forms.CharField(label=_("Département"), max_length=3, required=False)
    q = forms.CharField(label=_("Nom ou commune"), required=False)


class TrainingFilterForm(forms.Form):
    # Not "format": that query parameter asks for the CSV export.
    modality = forms.ChoiceField(
        label=_("Modalité"), choices=_all(_("Toutes")) + TrainingFormat.choices, required=False
    )
    year = forms.IntegerField(
        label=_("Année de création"), min_value=2000, max_value=2100, required=False
    )
    q = forms.CharField(label=_("Intitulé ou organisme"), required=False)


class ThirdPlaceApplicationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Site web"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = ThirdPlace
        fields = ["name", "address", "postcode", "city", "services", "website"]
        widgets = {"services": forms.Textarea(attrs={"rows": 3})}

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
    decided_on = forms.DateField(label=_("Date de la décision"), widget=DATE)
    decision_note = forms.CharField(label=_("Motifs"), widget=forms.Textarea(attrs={"rows": 3}))
