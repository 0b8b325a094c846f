from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.accounts.enums import OrganisationKind
from filiere.common.forms import ModelForm, PeriodForm, long_text
from filiere.common.taking import closing_choices
from filiere.common.validators import validate_siren
from filiere.directory.forms import firm_lookup_attrs
from filiere.support.enums import Subject, SupportStatus, TradeRegister
from filiere.support.models import RoutingRule
from filiere.territory.selectors import departement_choices


class SupportNeedForm(forms.Form):
    siren = forms.CharField(
        label=_("SIREN de l'entreprise"),
        max_length=9,
        validators=[validate_siren],
        widget=forms.TextInput(attrs=firm_lookup_attrs(value="siren", register_only=True)),
    )
    subject = forms.ChoiceField(label=_("Sujet"), choices=Subject.choices)
    description = long_text(
        _("Le besoin"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que l'entreprise cherche, où elle en est, ce qui presse."),
    )
    register = forms.ChoiceField(
        label=_("Registre"), choices=TradeRegister.choices, initial=TradeRegister.TRADE
    )
    contact_name = forms.CharField(label=_("Personne à contacter"), max_length=120)
    contact_email = forms.EmailField(label=_("Son e-mail"), required=False, max_length=254)
    contact_phone = forms.CharField(label=_("Son téléphone"), required=False, max_length=20)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units

    def clean_siren(self):
        siren = self.cleaned_data["siren"]
        unit = self.units.filter(siren=siren).first()
        if unit is None:
            raise forms.ValidationError(
                _("Aucune entreprise de l'annuaire avec ce SIREN que vous puissiez représenter.")
            )
        self.unit = unit
        return siren

    def clean(self):
        data = super().clean()
        if not data.get("contact_email") and not data.get("contact_phone"):
            self.add_error(
                "contact_email", _("Indiquez comment joindre cette personne : e-mail ou téléphone.")
            )
        return data


class SupportFilterForm(PeriodForm):
    field_order = ["status", "subject", "start", "end"]

    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous")), *SupportStatus.choices]
    )
    subject = forms.ChoiceField(
        label=_("Sujet"), required=False, choices=[("", _("Tous")), *Subject.choices]
    )


class MoveOnForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Nouvel état"),
        choices=closing_choices(SupportStatus.NOT_FOR_US),
    )
    note = long_text(
        _("Note de clôture ou motif"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    text = long_text(_("Ajouter une note"), widget=forms.Textarea(attrs={"rows": 2}))


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Êtes-vous satisfait de l'accompagnement reçu ?"),
        coerce=int,
        choices=[
            (5, _("5 — Très satisfait")),
            (4, _("4 — Satisfait")),
            (3, _("3 — Moyennement")),
            (2, _("2 — Peu satisfait")),
            (1, _("1 — Pas du tout satisfait")),
        ],
        widget=forms.RadioSelect,
    )
    comment = long_text(
        _("Un commentaire ?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RoutingRuleForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = RoutingRule
        fields = ["subject", "departement", "size", "naf_prefix", "register", "office"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"] = forms.ChoiceField(
            label=_("Département"),
            required=False,
            choices=[("", _("Tous")), *departement_choices()],
        )
        self.fields["office"].queryset = self.fields["office"].queryset.exclude(
            kind=OrganisationKind.COMPANY
        )
        for name in ("size", "register"):
            self.fields[name].choices = [("", _("Tous"))] + list(self.fields[name].choices)[1:]
