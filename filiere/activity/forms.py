from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.activity.selectors import subject_choices
from filiere.common.forms import PeriodForm


class ActivityFilterForm(PeriodForm):
    office = forms.ModelChoiceField(
        label=_("Bureau"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("Tous"),
    )
    subject = forms.ChoiceField(label=_("Sujet"), required=False)
    field_order = ["office", "subject", "start", "end"]

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["subject"].choices = [("", _("Tous")), *subject_choices()]
