"""The showcase's filters and the widget's options, read from the address."""

from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.projects.enums import Market
from filiere.showcase.selectors import EVENTS, LABELS, PROJECTS

# What a partner's site may ask the widget for.
WIDGET_MAX_ITEMS = 20


class MarketFilterForm(forms.Form):
    market = forms.ChoiceField(
        label=_("Marché"), choices=[("", _("Tous les marchés")), *Market.choices], required=False
    )


class LabelFilterForm(forms.Form):
    label = forms.ChoiceField(label=_("Label"), required=False)

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [("", _("Tous les labels"))] + [
            (label.slug, label.name) for label in labels
        ]


class WidgetForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Contenu"),
        choices=[
            (PROJECTS, _("Projets labellisés")),
            (EVENTS, _("Événements")),
            (LABELS, _("Labels accordés")),
        ],
        required=False,
    )
    n = forms.IntegerField(
        label=_("Nombre d'éléments"), min_value=1, max_value=WIDGET_MAX_ITEMS, required=False
    )

    def clean_type(self) -> str:
        return self.cleaned_data["type"] or PROJECTS

    def clean_n(self) -> int:
        return self.cleaned_data["n"] or 5
