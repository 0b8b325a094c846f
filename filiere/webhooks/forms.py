from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.webhooks.enums import SUBSCRIBABLE
from filiere.webhooks.models import Endpoint


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Adresse (URL)"),
        max_length=Endpoint._meta.get_field("url").max_length,
        assume_scheme="https",
        help_text=_("Une adresse https de votre serveur, qui répond 2xx à un POST."),
    )
    events = forms.MultipleChoiceField(
        label=_("Événements envoyés"),
        choices=[(event.value, event.label) for event in SUBSCRIBABLE],
        widget=forms.CheckboxSelectMultiple,
    )
