import re

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from filiere.accounts.enums import OrganisationKind, Role
from filiere.accounts.models import Organisation
from filiere.accounts.selectors import organisations_with_members
from filiere.common.forms import (
    Honeypot,
    ModelForm,
    OwnIds,
    PeriodForm,
    bounded_formfield,
    date_input,
    long_text,
)
from filiere.common.taking import closing_choices
from filiere.directory.forms import firm_lookup_attrs
from filiere.needs.enums import Domain, NeedStatus, Outcome
from filiere.needs.models import (
    CAMPAIGN_MAX_LENGTH,
    InvitationList,
    Need,
    OfferReference,
    ProviderOffer,
    validate_campaign,
)
from filiere.territory.models import Commune
from filiere.territory.selectors import departement_choices, region_communes, site_region_code

_COMMUNE = re.compile(r"\((\d[\dAB]\d{3})\)\s*$")


def commune_label(commune: Commune) -> str:
    return f"{commune.name} ({commune.code})"


class NeedForm(Honeypot, ModelForm):
    place = forms.CharField(
        label=_("Commune"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "communes", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que ces informations soient transmises aux prestataires que je choisis "
            "de contacter et aux conseillers de mon territoire."
        ),
    )

    class Meta(ModelForm.Meta):
        model = Need
        fields = [
            "text",
            "domain",
            "budget",
            "deadline",
            "place",
            "company_name",
            "is_creator",
            "siret",
            "contact_name",
            "contact_email",
            "contact_phone",
            "consent",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "deadline": date_input(),
            "company_name": forms.TextInput(
                attrs=firm_lookup_attrs(fill={"siret": "siret", "place": "place"})
            ),
        }
        help_texts = {
            "text": _(
                "Décrivez avec vos mots ce que vous voulez faire : le résultat attendu, "
                "vos outils actuels, vos contraintes."
            ),
            "siret": _(
                "Demandé sauf pour une entreprise en création, qui n'en a pas encore : "
                "cochez alors la case ci-dessus."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The example is the platform's région's largest town, as a user there would type it.
        town = region_communes().order_by("-population", "code").first()
        self.fields["place"].help_text = _(
            "Commencez à taper le nom et choisissez dans la liste, par exemple « %(example)s »."
        ) % {"example": commune_label(town) if town else _("Nom de la commune (code INSEE)")}

    def clean_place(self) -> Commune:
        value = self.cleaned_data["place"].strip()
        communes = Commune.objects.current().select_related("departement__region")
        match = _COMMUNE.search(value)
        if match:
            found = list(communes.filter(code=match.group(1)))
        else:
            found = list(communes.filter(name__iexact=value))
        if not found:
            raise forms.ValidationError(_("Commune inconnue : choisissez-la dans la liste."))
        # A name several French communes bear means the one of the platform's région, if unique.
        home = [c for c in found if c.departement.region.code == site_region_code()]
        if len(found) > 1 and len(home) == 1:
            return home[0]
        if len(found) > 1:
            raise forms.ValidationError(
                _("Plusieurs communes portent ce nom : choisissez-la dans la liste avec son code.")
            )
        return found[0]

    def clean(self):
        data = super().clean()
        if not data.get("is_creator") and not data.get("siret"):
            self.add_error(
                "siret",
                _("Indiquez le SIRET de l'entreprise, ou cochez « entreprise en création »."),
            )
        return data

    def save(self, commit=True):
        self.instance.commune = self.cleaned_data["place"]
        return super().save(commit=commit)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Où en êtes-vous ?"), choices=Outcome.choices)
    amount_eur = forms.DecimalField(
        label=_("Montant du contrat (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )


class QualifyForm(OwnIds, forms.Form):
    ids_prefix = "qualify"
    domain = forms.ChoiceField(label=_("Domaine"), choices=Domain.choices)
    note = long_text(_("Note de qualification"), widget=forms.Textarea(attrs={"rows": 3}))


class MoveOnForm(OwnIds, forms.Form):
    ids_prefix = "close"
    status = forms.ChoiceField(
        label=_("Résultat"),
        choices=closing_choices(),
    )
    note = long_text(_("Note de clôture"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RedirectForm(OwnIds, forms.Form):
    ids_prefix = "redirect"
    organisation = forms.ModelChoiceField(
        label=_("Réorienter vers"),
        # The offices a need can go to: those with an adviser to take it.
        queryset=organisations_with_members([Role.ADVISER])
        .exclude(kind=OrganisationKind.COMPANY)
        .order_by("name"),
    )
    note = long_text(_("Pourquoi"), widget=forms.Textarea(attrs={"rows": 3}))


class OfferForm(ModelForm):
    domains = forms.MultipleChoiceField(
        label=_("Domaines"), choices=Domain.choices, widget=forms.CheckboxSelectMultiple
    )
    departements_served = forms.MultipleChoiceField(
        label=_("Départements servis (en plus du vôtre)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(ModelForm.Meta):
        model = ProviderOffer
        fields = ["summary", "domains", "departements_served", "is_published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departements_served"].choices = departement_choices()


ReferenceFormSet = inlineformset_factory(
    ProviderOffer,
    OfferReference,
    fields=["title", "description", "client", "year"],
    extra=2,
    can_delete=True,
    widgets={"description": forms.Textarea(attrs={"rows": 2})},
    formfield_callback=bounded_formfield,
)


class InvitationListForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = InvitationList
        fields = ["name", "organisation"]

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            id__in=[o.id for o in offices]
        )


class AddToListForm(OwnIds, forms.Form):
    """The firms ticked among a need's suggested providers, added to a list of the user's
    offices, or to a new one named here (the only way when the offices have none yet)."""

    ids_prefix = "invite"

    firms = forms.TypedMultipleChoiceField(
        label=_("Entreprises à inviter"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une entreprise à inviter.")},
    )
    invitation_list = forms.ModelChoiceField(
        label=_("Liste d'invitation"),
        queryset=InvitationList.objects.none(),
        required=False,
        empty_label=_("Nouvelle liste…"),
    )
    new_list = forms.CharField(
        label=_("Nom de la nouvelle liste"),
        max_length=InvitationList._meta.get_field("name").max_length,
        required=False,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisateur de la nouvelle liste"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args, offices, matches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firms"].choices = [(m.legal_unit_id, m.legal_unit.name) for m in matches]
        lists = InvitationList.objects.filter(organisation__in=offices)
        self.fields["invitation_list"].queryset = lists
        self.has_lists = lists.exists()
        if not self.has_lists:
            del self.fields["invitation_list"]
        self.offices = list(offices)
        if len(self.offices) > 1:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                id__in=[o.id for o in self.offices]
            )
        else:
            del self.fields["organisation"]

    def clean(self):
        data = super().clean()
        if data.get("invitation_list") or "invitation_list" in self.errors:
            return data
        if not self.offices:
            self.add_error(
                "new_list",
                _(
                    "Une liste d'invitation est celle d'une organisation partenaire : vous n'en "
                    "représentez aucune."
                ),
            )
        elif not data.get("new_list"):
            self.add_error(
                "new_list",
                _("Choisissez une liste, ou nommez la nouvelle liste à créer.")
                if self.has_lists
                else _("Nommez la liste d'invitation à créer."),
            )
        elif "organisation" in self.fields:
            if not data.get("organisation") and "organisation" not in self.errors:
                self.add_error("organisation", _("Choisissez l'organisateur de la liste."))
        else:
            data["organisation"] = self.offices[0]
        return data

    @property
    def ticked(self) -> set[int]:
        """The firms ticked: sent back with an error, the form keeps the firms chosen."""
        return {int(v) for v in self["firms"].value() or [] if str(v).isdigit()}

    def fields_below(self):
        """The list's fields, shown under the table of the firms."""
        return [
            self[name]
            for name in ("invitation_list", "new_list", "organisation")
            if name in self.fields
        ]


class NeedFilterForm(PeriodForm):
    field_order = ["status", "departement", "domain", "start", "end"]

    everything = [("", _("Tous"))]
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=everything + [s for s in NeedStatus.choices if s[0] != NeedStatus.UNCONFIRMED],
    )
    departement = forms.ChoiceField(label=_("Département"), required=False)
    domain = forms.ChoiceField(
        label=_("Domaine"), required=False, choices=everything + Domain.choices
    )
    campaign = forms.CharField(
        label=_("Campagne"),
        required=False,
        max_length=CAMPAIGN_MAX_LENGTH,
        validators=[validate_campaign],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = self.everything + departement_choices()
