from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.partners.enums import Scope


class KeyForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de la clé"),
        max_length=100,
        help_text=_("Pour la reconnaître : le site ou l'outil qui s'en sert."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Droits"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
