from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from filiere.common.forms import ModelForm, date_input, long_text
from filiere.directory.enums import LabelRequestStatus, SizeClass
from filiere.directory.models import Contact, Label, LabelRequest, LegalUnit
from filiere.directory.selectors import skill_choices
from filiere.territory.models import Epci
from filiere.territory.sectors import DEFAULT_SECTOR
from filiere.territory.selectors import region_departements, site_region_code


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Recherche"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    departement = forms.ChoiceField(label=_("Département"), required=False)
    epci = forms.ChoiceField(label=_("Intercommunalité"), required=False)
    sector = forms.ChoiceField(label=_("Filière"), required=False)
    naf = forms.CharField(label=_("Code NAF (début)"), required=False, max_length=6)
    size = forms.ChoiceField(
        label=_("Taille"), required=False, choices=[("", _("Toutes"))] + SizeClass.choices
    )
    label = forms.ChoiceField(label=_("Label"), required=False)
    tag = forms.ChoiceField(label=_("Compétence"), required=False)
    include_closed = forms.BooleanField(
        label=_("Inclure les établissements fermés"), required=False
    )

    def __init__(self, *args, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Tous"))]
        # The platform's région's départements and EPCI: those of all of France (101 and
        # 1,255) would fill the lists with places the register has no firm in.
        self.fields["departement"].choices = everything + [
            (d.code, str(d)) for d in region_departements()
        ]
        epcis = Epci.objects.filter(communes__departement__region__code=site_region_code())
        self.fields["epci"].choices = everything + list(
            epcis.values_list("code", "name").distinct()
        )
        self.fields["sector"].choices = [("", _("Toutes activités"))] + [
            (s.slug, s.name) for s in sectors
        ]
        # The search opens on the contract's sector, as the observatory does: « développement
        # web » then finds the digital firms, not a hairdresser called « Web… ».
        if any(s.slug == DEFAULT_SECTOR for s in sectors):
            self.fields["sector"].initial = DEFAULT_SECTOR
        self.fields["label"].choices = everything + list(Label.objects.values_list("slug", "name"))
        self.fields["tag"].choices = everything + skill_choices()

    def cleaned(self) -> dict:
        """The values to filter on: the initial ones for a page opened without any (the
        contract's sector), what was sent otherwise (« Toutes activités » is an empty sector);
        an invalid field is left out while the valid ones still filter."""
        if not self.is_bound:
            return {"sector": self.fields["sector"].initial or ""}
        self.is_valid()
        return self.cleaned_data


class ProfileForm(ModelForm):
    website = forms.URLField(
        label=_("Site web"), required=False, max_length=200, assume_scheme="https"
    )
    tags_text = forms.CharField(
        label=_("Compétences"),
        required=False,
        max_length=2000,
        help_text=_("Séparées par des virgules, par exemple : cybersécurité, ERP, données."),
    )

    class Meta(ModelForm.Meta):
        model = LegalUnit
        fields = ["description", "website", "contact_email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["tags_text"].initial = ", ".join(t.label for t in self.instance.tags.all())

    def clean_tags_text(self) -> list[str]:
        tags = [t.strip() for t in self.cleaned_data["tags_text"].split(",") if t.strip()]
        too_long = [t for t in tags if len(t) > 80]
        if too_long:
            raise forms.ValidationError(_("Une compétence fait au plus 80 caractères."))
        return tags


class ContactForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Contact
        fields = ["full_name", "role", "email", "phone", "consent_on"]
        widgets = {"consent_on": date_input()}


class LabelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Label) -> str:
        if obj.granted_by is None:
            return obj.name
        return _("%(label)s (accordé par %(body)s)") % {
            "label": obj.name,
            "body": obj.granted_by.name,
        }


class LabelRequestForm(ModelForm):
    """A firm's member requests a label, with a word for the body that grants it."""

    class Meta(ModelForm.Meta):
        model = LabelRequest
        fields = ["label", "note"]
        field_classes = {"label": LabelChoiceField}
        labels = {"note": _("Message à l'organisme (facultatif)")}
        help_texts = {
            "note": _("Par exemple : votre numéro d'adhérent, votre promotion de résidence."),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].queryset = labels


class LabelDecisionForm(forms.Form):
    """The granting body's word on a request or a label: why it is granted, refused or
    withdrawn (the services require it for a refusal and a withdrawal)."""

    reason = long_text(
        _("Motif"),
        required=False,
        help_text=_("L'entreprise le lit ; obligatoire pour refuser ou retirer."),
    )


class LabelRequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous"))] + LabelRequestStatus.choices,
    )
    label = forms.ChoiceField(label=_("Label"), required=False)

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [("", _("Tous"))] + list(labels.values_list("slug", "name"))


def firm_lookup_attrs(
    *, value: str = "name", fill: dict[str, str] | None = None, register_only: bool = False
) -> dict:
    """The attributes by which a text field offers firms as one types (static/js/firm-lookup.js):
    the chosen firm's ``value`` (a key of ``firm_lookup.FirmSuggestion``) goes into the field,
    and ``fill`` maps other keys to the names of the form's fields it fills. A form that stores
    a firm of the register (by its SIREN) is offered the register's firms alone."""
    url = reverse_lazy("directory:firm_suggestions")
    return {
        "autocomplete": "off",
        "data-firm-lookup": format_lazy("{}?registre=1", url) if register_only else url,
        "data-firm-value": value,
        "data-firm-fill": " ".join(f"{key}:{field}" for key, field in (fill or {}).items()),
        "data-firm-list": _("Suggestions"),
        "data-firm-none": _("Aucune entreprise trouvée : continuez à la main."),
        "data-firm-found": _("entreprises proposées : flèches pour choisir, Entrée pour retenir."),
    }


class FirmLookupForm(forms.Form):
    """What the firm suggestions are asked for (the name, SIREN or SIRET typed so far)."""

    q = forms.CharField(min_length=3, max_length=120)
    registre = forms.BooleanField(required=False)


class FirmFinderForm(forms.Form):
    q = forms.CharField(
        label=_("Votre entreprise"),
        max_length=120,
        help_text=_("Son nom, son SIREN (9 chiffres) ou le SIRET d'un de ses établissements."),
        widget=forms.TextInput(attrs=firm_lookup_attrs(value="siren", register_only=True)),
    )


class JoinForm(forms.Form):
    message = long_text(
        _("Message"),
        required=False,
        help_text=_("Votre fonction dans l'entreprise, pour qui décidera de votre demande."),
    )


# About a page: enough to say who one is and what one wants, short enough to read.
MESSAGE_MAX_LENGTH = 3000


class FirmMessageForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Votre nom et votre adresse e-mail sont transmis avec le message, pour que "
            "l'entreprise vous réponde."
        ),
    )
