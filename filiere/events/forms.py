"""The event forms: they read and check what is typed; the services write it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.common.forms import (
    TEXT_MAX_LENGTH,
    DateTimeField,
    ModelForm,
    date_input,
    datetime_input,
    long_text,
    reason_field,
)
from filiere.directory.forms import firm_lookup_attrs
from filiere.events.enums import Priority
from filiere.events.models import Event, Registration, Slot

DATETIME = datetime_input()


class _EventFields(ModelForm):
    """What an event says, as its creation and its edit check it."""

    class Meta(ModelForm.Meta):
        model = Event
        fields = [
            "title",
            "action",
            "starts_at",
            "ends_at",
            "place",
            "description",
            "selection_criteria",
            "capacity",
            "registration_closes_on",
            "requires_approval",
            "auto_accept_requests",
            "max_meetings",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_closes_on": date_input(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "selection_criteria": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].required = False

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("La fin doit suivre le début."))
        closes_on = data.get("registration_closes_on")
        if closes_on and data.get("starts_at") and closes_on > data["starts_at"].date():
            self.add_error(
                "registration_closes_on",
                _("Les inscriptions doivent fermer au plus tard le jour du début."),
            )
        return data


class EventForm(_EventFields):
    """A new event: its kind and organiser too."""

    class Meta(_EventFields.Meta):
        fields = ["title", "kind", "organiser", *_EventFields.Meta.fields[1:]]

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers


class EventEditForm(_EventFields):
    """The event's edit (its kind and organiser stay) and, once it is published, the
    reason of the edit, kept in its history."""

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, instance=event, **kwargs)
        if not event.is_draft:
            self.fields["reason"] = reason_field(_("Motif de la modification"))


class SlotsForm(forms.Form):
    first = DateTimeField(label=_("Premier créneau"), widget=DATETIME)
    count = forms.IntegerField(label=_("Nombre de créneaux"), min_value=1, max_value=60)
    minutes = forms.IntegerField(
        label=_("Durée d'un créneau (minutes)"), min_value=5, max_value=240
    )
    tables = forms.IntegerField(label=_("Tables"), min_value=1, max_value=2000)


class RegistrationForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Registration
        fields = ["company", "motivation", "offer", "seek", "max_meetings", "unavailable"]
        widgets = {
            "company": forms.TextInput(attrs=firm_lookup_attrs()),
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "offer": forms.Textarea(attrs={"rows": 3}),
            "seek": forms.Textarea(attrs={"rows": 3}),
            "unavailable": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        if event.selects_delegation:  # an application: motivation, no meetings
            self.fields["motivation"].required = True
            for name in ("offer", "seek", "max_meetings", "unavailable"):
                del self.fields[name]
            return
        del self.fields["motivation"]
        if not event.is_matchmaking:
            for name in ("offer", "seek", "max_meetings", "unavailable"):
                del self.fields[name]
            return
        self.fields["unavailable"].queryset = event.slots.all()
        if not event.slots.exists():
            del self.fields["unavailable"]


class DecisionForm(forms.Form):
    cost_share_eur = forms.DecimalField(
        label=_("Reste à charge de l'entreprise (€)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    decision_note = forms.CharField(
        label=_("Motif de la décision"), required=False, max_length=TEXT_MAX_LENGTH
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre note de l'événement"),
        coerce=int,
        choices=[(n, str(n)) for n in (5, 4, 3, 2, 1)],
        widget=forms.RadioSelect,
    )
    useful_meetings = forms.IntegerField(
        label=_("Rendez-vous ou contacts utiles"), min_value=0, required=False
    )
    comment = long_text(
        _("Un commentaire ?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequestForm(forms.Form):
    priority = forms.TypedChoiceField(
        label=_("Priorité"), choices=Priority.choices, coerce=int, initial=Priority.WANT
    )


class MoveForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Créneau"), queryset=Slot.objects.none())
    table = forms.IntegerField(label=_("Table"), min_value=1)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = event.slots.all()
