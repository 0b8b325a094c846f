from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.accounts.models import Organisation
from filiere.casefile.enums import EntryKind, Visibility
from filiere.casefile.models import Reminder
from filiere.casefile.selectors import Period
from filiere.common.forms import DateField, ModelForm, date_input, long_text

PARTNERS = "partners"


class TimelineFilterForm(forms.Form):
    """The timeline's filters: kinds (all when none is ticked) and a period."""

    kinds = forms.MultipleChoiceField(
        label=_("Types"),
        choices=EntryKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = DateField(label=_("Du"), required=False, widget=date_input())
    end = DateField(label=_("Au"), required=False, widget=date_input())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de la période doit suivre son début."))
        return cleaned

    @property
    def selected_kinds(self) -> set[str]:
        return set(self.cleaned_data.get("kinds") or EntryKind.values)

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data.get("start"), self.cleaned_data.get("end"))


class NoteForm(forms.Form):
    """A note and who reads it: one of the author's organisations, or every partner."""

    text = long_text(_("Note"))
    audience = forms.ChoiceField(label=_("Visible par"))

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["audience"].choices = [
            *(
                (pk, _("%(organisation)s seulement") % {"organisation": o.name})
                for pk, o in self.organisations.items()
            ),
            (PARTNERS, Visibility.PARTNERS.label),
        ]

    @property
    def visibility(self) -> str:
        if self.cleaned_data["audience"] == PARTNERS:
            return Visibility.PARTNERS
        return Visibility.ORGANISATION

    @property
    def organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data["audience"])


class ReminderForm(ModelForm):
    due_on = DateField(label=_("Date"), widget=date_input())

    class Meta(ModelForm.Meta):
        model = Reminder
        fields = ["due_on", "text"]
        labels = {"text": _("Rappel")}
