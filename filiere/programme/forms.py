import copy

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from filiere.accounts.models import Organisation
from filiere.common.forms import DateField, ModelForm, OwnIds, date_input, reason_field
from filiere.programme.contract_setup import suggested_slug
from filiere.programme.models import (
    Action,
    ActionPartner,
    Axis,
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    ContractActor,
    Indicator,
    Measurement,
    Payment,
    Pillar,
    PillarCommitment,
    Strategy,
)
from filiere.programme.sources import registered_sources
from filiere.territory.enums import CommuneKind
from filiere.territory.models import Commune, Region
from filiere.territory.selectors import observable_sectors, site_region_code


class MeasurementForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Measurement
        fields = ["measured_on", "value", "comment"]
        widgets = {"measured_on": date_input(), "comment": forms.TextInput()}


class CommitmentForm(OwnIds, ModelForm):
    ids_prefix = "commitment"

    class Meta(ModelForm.Meta):
        model = BudgetCommitment
        fields = ["year", "beneficiary", "label", "amount_eur", "committed_on"]
        widgets = {"committed_on": date_input()}

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Année budgétaire"),
            choices=[(year, year) for year in contract.years],
            coerce=int,
        )
        self.fields["beneficiary"].queryset = Organisation.objects.order_by("name")
        self.fields["amount_eur"].min_value = 0.01
        self.fields["amount_eur"].widget.attrs["min"] = "0.01"


class AllocationForm(OwnIds, ModelForm):
    ids_prefix = "allocation"

    class Meta(ModelForm.Meta):
        model = BudgetAllocation
        fields = ["year", "amount_eur"]

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = forms.TypedChoiceField(
            label=_("Année"), choices=[(year, year) for year in contract.years], coerce=int
        )


class PaymentForm(OwnIds, ModelForm):
    ids_prefix = "payment"

    class Meta(ModelForm.Meta):
        model = Payment
        fields = ["commitment", "paid_on", "amount_eur"]
        widgets = {"paid_on": date_input()}

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = BudgetCommitment.objects.counted().filter(
            action=action
        )
        self.fields["commitment"].label = _("Engagement")
        self.fields["amount_eur"].widget.attrs["min"] = "0.01"


class MeasurementCorrectionForm(MeasurementForm):
    reason = reason_field()


class CommitmentCorrectionForm(CommitmentForm):
    reason = reason_field()


class AllocationCorrectionForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = BudgetAllocation
        fields = ["amount_eur"]

    reason = reason_field()


class PaymentCorrectionForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Payment
        fields = ["paid_on", "amount_eur"]
        widgets = {"paid_on": date_input()}

    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount_eur"].widget.attrs["min"] = "0.01"


class PeriodForm(forms.Form):
    """A period of the contract: both dates fall within it."""

    start = DateField(label=_("Du"), widget=date_input())
    end = DateField(label=_("Au"), widget=date_input())

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        for field in self.fields.values():
            # The contract's span, stricter than the platform's years, says the bound.
            field.validators = []
            field.widget.attrs.update(
                min=contract.start_date.isoformat(), max=contract.end_date.isoformat()
            )

    def _within_contract(self, name: str):
        day = self.cleaned_data[name]
        if not self.contract.start_date <= day <= self.contract.end_date:
            raise forms.ValidationError(
                _("La date doit tomber pendant le contrat, du %(start)s au %(end)s.")
                % {
                    "start": date_format(self.contract.start_date, "SHORT_DATE_FORMAT"),
                    "end": date_format(self.contract.end_date, "SHORT_DATE_FORMAT"),
                }
            )
        return day

    def clean_start(self):
        return self._within_contract("start")

    def clean_end(self):
        return self._within_contract("end")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return cleaned


# Setting a contract up and editing its parts (``contract_setup``): the forms read the
# values, the services check the rules and name the field a refusal concerns.


class SetupForm(OwnIds, ModelForm):
    """A part of a contract: the model's fields and their validators (a positive budget);
    its unique codes and constraints are the service's to check, with a located message."""

    def _post_clean(self):
        instance = construct_instance(self, copy.copy(self.instance), self._meta.fields)
        try:
            instance.clean_fields(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)


class EditMixin:
    """The edit of a part: the same fields, and the reason kept in its history."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"] = reason_field()


class CommuneCodeField(forms.CharField):
    """A commune by its INSEE code (a list of 35,000 communes is no choice to make)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 5)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Commune):
            return value.code
        if isinstance(value, int):
            return Commune.objects.filter(pk=value).values_list("code", flat=True).first()
        return value

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        commune = (
            Commune.objects.filter(code=code.strip().upper(), kind=CommuneKind.CURRENT)
            .select_related("departement")
            .first()
        )
        if commune is None:
            raise forms.ValidationError(_("Aucune commune n'a ce code INSEE."))
        return commune


class ContractForm(SetupForm):
    ids_prefix = "contract"

    class Meta(ModelForm.Meta):
        model = Contract
        fields = [
            "owner",
            "region",
            "title",
            "slug",
            "sector",
            "observed_sector",
            "aim",
            "start_date",
            "end_date",
            "budget_eur",
            "signed_on",
            "signing_place",
            "signing_commune",
            "strategy",
        ]
        widgets = {
            "start_date": date_input(),
            "end_date": date_input(),
            "signed_on": date_input(),
            "aim": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is None:
            # The owner stays the one that created the contract.
            del self.fields["owner"]
        else:
            self.fields["owner"].queryset = owners
            self.fields["owner"].empty_label = None
        self.fields["region"].queryset = Region.objects.order_by("name")
        # A new contract is first the platform's région's (``FILIERE_REGION``).
        if not self.instance.pk:
            self.fields["region"].initial = Region.objects.filter(code=site_region_code()).first()
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Il fait son adresse, par exemple /contrats/numerique-2024/. Laissé vide, il est "
            "tiré de l'intitulé."
        )
        self.fields["signing_commune"] = CommuneCodeField(
            label=_("Commune de signature (code INSEE)"), required=False
        )
        # The strategies it may join: those holding no other organisation's contract.
        mine = owners.values("pk") if owners is not None else [self.instance.owner_id]
        others = Contract.objects.exclude(owner__in=mine)
        self.fields["strategy"].queryset = (
            Strategy.objects.exclude(contracts__in=others)
            .select_related("region")
            .order_by("region__name", "title")
        )
        self.fields["observed_sector"] = forms.ChoiceField(
            label=self.fields["observed_sector"].label,
            help_text=self.fields["observed_sector"].help_text,
            choices=list(observable_sectors().items()),
        )
        self.fields["strategy"].label = _("Stratégie régionale")
        self.fields["strategy"].empty_label = _("Aucune")
        self.fields["strategy"].label_from_instance = lambda s: f"{s.region} — {s.title}"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and self.instance.pk:
            # Left empty on an edit, the identifier stays: its links keep working.
            cleaned["slug"] = self.instance.slug
        elif not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = suggested_slug(cleaned["title"])
        return cleaned


class ContractEditForm(EditMixin, ContractForm):
    pass


class ActorForm(SetupForm):
    ids_prefix = "actor"

    class Meta(ModelForm.Meta):
        model = ContractActor
        fields = ["organisation", "role", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")


class AxisForm(SetupForm):
    ids_prefix = "axis"

    class Meta(ModelForm.Meta):
        model = Axis
        fields = ["number", "title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}


class AxisEditForm(EditMixin, AxisForm):
    pass


class ActionForm(SetupForm):
    ids_prefix = "action"

    class Meta(ModelForm.Meta):
        model = Action
        fields = ["axis", "code", "title", "description", "coordinator", "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = contract.axes.order_by("number")
        self.fields["axis"].empty_label = None
        self.fields["coordinator"].queryset = Organisation.objects.order_by("name")


class ActionEditForm(EditMixin, ActionForm):
    pass


class PartnerForm(SetupForm):
    ids_prefix = "partner"

    class Meta(ModelForm.Meta):
        model = ActionPartner
        fields = ["organisation", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["role"].label = _("Rôle dans l'action")


MANUAL = ""


class IndicatorForm(SetupForm):
    ids_prefix = "indicator"

    class Meta(ModelForm.Meta):
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "action",
            "pillar",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_factor",
            "deadline",
            "computed_source",
            "description",
            "is_published",
        ]
        widgets = {
            "baseline_date": date_input(),
            "deadline": date_input(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.filter(axis__contract=contract)
        self.fields["action"].empty_label = _("Aucune (indicateur du contrat)")
        self.fields["pillar"].queryset = Pillar.objects.filter(strategy_id=contract.strategy_id)
        self.fields["pillar"].label = _("Pilier de la stratégie")
        self.fields["computed_source"] = forms.ChoiceField(
            label=_("Source"),
            required=False,
            choices=[(MANUAL, _("Saisie manuelle")), *registered_sources()],
        )


class IndicatorEditForm(EditMixin, IndicatorForm):
    pass


class StrategyForm(SetupForm):
    ids_prefix = "strategy"

    class Meta(ModelForm.Meta):
        model = Strategy
        fields = ["title", "annual_budget_eur", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class StrategyEditForm(EditMixin, StrategyForm):
    pass


class PillarForm(SetupForm):
    ids_prefix = "pillar"

    class Meta(ModelForm.Meta):
        model = Pillar
        fields = ["number", "title"]


class PillarEditForm(EditMixin, PillarForm):
    pass


class PillarCommitmentForm(SetupForm):
    ids_prefix = "pillar-commitment"

    class Meta(ModelForm.Meta):
        model = PillarCommitment
        fields = ["position", "label", "amount_eur", "due_date"]
        widgets = {"due_date": date_input()}


class PillarCommitmentEditForm(EditMixin, PillarCommitmentForm):
    pass
