from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.territory.models import Commune, Departement

LEVELS = [
    ("departement", _("Départements")),
    ("epci", _("Intercommunalités")),
    ("commune", _("Communes")),
]


class ObservatoryForm(forms.Form):
    territory = forms.ChoiceField(label=_("Territoire"))
    sector = forms.ChoiceField(label=_("Filière"), required=False)
    at = forms.DateField(
        label=_("Au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    level = forms.ChoiceField(label=_("Carte par"), choices=LEVELS, required=False)

    def __init__(self, *args, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        # The territories the platform has communes for (Normandy as shipped).
        with_communes = Commune.objects.filter(departement=OuterRef("pk"))
        departements = Departement.objects.filter(Exists(with_communes)).select_related("region")
        regions = {d.region.code: d.region for d in departements}.values()
        self.fields["territory"].choices = [(f"region:{r.code}", r.name) for r in regions] + [
            (f"dep:{d.code}", str(d)) for d in departements
        ]
        self.fields["sector"].choices = [("", _("Toutes activités"))] + [
            (s.slug, s.name) for s in sectors
        ]

    def cleaned(self) -> dict:
        """The form's values, with defaults for what was left empty."""
        data = self.cleaned_data if self.is_valid() else {}
        choices = [value for value, _label in self.fields["territory"].choices]
        return {
            "territory": data.get("territory") or (choices[0] if choices else "region:28"),
            "sector": data.get("sector", "numerique") if data else "numerique",
            "at": data.get("at") or timezone.localdate(),
            "level": data.get("level") or "departement",
        }
