from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from filiere.accounts.models import Organisation
from filiere.common.forms import DateField, ModelForm, OwnIds, date_input, reason_field
from filiere.programme.models import BudgetAllocation, BudgetCommitment, Measurement, Payment


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
