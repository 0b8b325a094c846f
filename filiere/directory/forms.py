from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.common.forms import ModelForm
from filiere.directory.enums import SizeClass
from filiere.directory.models import Contact, Label, LegalUnit, Tag
from filiere.territory.models import Departement, Epci


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
        self.fields["departement"].choices = everything + [
            (d.code, str(d)) for d in Departement.objects.all()
        ]
        self.fields["epci"].choices = everything + list(Epci.objects.values_list("code", "name"))
        self.fields["sector"].choices = [("", _("Toutes activités"))] + [
            (s.slug, s.name) for s in sectors
        ]
        self.fields["label"].choices = everything + list(Label.objects.values_list("slug", "name"))
        self.fields["tag"].choices = everything + list(Tag.objects.values_list("slug", "label"))


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
        fields = ["description", "website", "labels"]
        widgets = {"labels": forms.CheckboxSelectMultiple}

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
        widgets = {"consent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
