"""What every form of the platform bounds: the length of a text, the ids of a choice.

A text longer than the database or the pages need, or an id no database holds, must be a
form error naming the bound, never a 500 (a 1 MB text, an id of 30 digits: OverflowError on
SQLite, DataError on PostgreSQL). ``ModelForm`` applies the bounds to the fields it makes
from the model; declared fields say their own ``max_length``.
"""

from django import forms
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

# A long text (a need, a presentation, a note): about three pages.
TEXT_MAX_LENGTH = 10_000
# The largest id a 64-bit auto field holds.
ID_MAX = 2**63 - 1
# The years a date of the platform may fall in: a contract, an event, a firm's creation. Out
# of them, 0001-01-01 in Paris is before year 1 in UTC, an OverflowError.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def _check_year(value) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Une date entre %(first)s et %(last)s est attendue.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="out_of_range",
        )


def date_input() -> forms.DateInput:
    """The browser's date picker, given the ISO value it reads (a French « 05/04/2027 » is
    no value to it: the field came up empty and an edit saved it empty)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input() -> forms.DateTimeInput:
    """The browser's date and time picker, given the value it reads."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DateField(forms.DateField):
    """Django's, with the platform's years."""

    default_validators = [_check_year]


class DateTimeField(forms.DateTimeField):
    """Django's, with the platform's years."""

    default_validators = [_check_year]


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with an id no table can hold refused as an invalid choice."""

    def _check_values(self, value):
        if not self.to_field_name and isinstance(value, list | tuple):
            for pk in value:
                if not str(pk).isdigit() or int(pk) > ID_MAX:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


def bounded_formfield(model_field, **kwargs):
    """The form field of a model field, with the platform's bounds."""
    if isinstance(model_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    elif isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(model_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    elif isinstance(model_field, models.TextField) and not model_field.max_length:
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
    return model_field.formfield(**kwargs)


class OwnIds:
    """A form that shares its page with other forms: its fields' ids start with
    ``ids_prefix`` (« commitment-amount_eur », not « id_amount_eur » three times), so each
    label points at its own field. The fields' names, which the views read, do not change."""

    ids_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.ids_prefix}-%s")
        super().__init__(*args, **kwargs)


class ModelForm(forms.ModelForm):
    """Django's ModelForm with the platform's bounds; a subclass's ``Meta`` inherits
    ``ModelForm.Meta`` to keep them."""

    class Meta:
        formfield_callback = bounded_formfield


# How long the reason of a correction or a cancellation may be: a few sentences.
REASON_MAX_LENGTH = 1000


def reason_field(label=None) -> forms.CharField:
    """The reason every correction and cancellation gives (``common.history``)."""
    return forms.CharField(
        label=label or _("Motif"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Gardé dans l'historique de la fiche, avec votre nom et la date."),
    )


class CancelForm(forms.Form):
    """Cancelling or deleting a record: the reason alone, kept in its history."""

    reason = reason_field()


def long_text(label, **kwargs) -> forms.CharField:
    """A declared field for a long text (a textarea), bounded like the model ones."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
    return forms.CharField(label=label, max_length=TEXT_MAX_LENGTH, **kwargs)


class UploadForm(forms.Form):
    """A form with files: ``refused`` are the fields whose file was cut off while it streamed
    in (``common.uploads.refused_uploads``); every file is checked against ``max_bytes``."""

    max_bytes: int

    def __init__(self, *args, refused=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused

    def too_large(self) -> str:
        megabytes = number_format(self.max_bytes / 1024 / 1024, 0)
        return _("Le fichier dépasse %(size)s Mo.") % {"size": megabytes}

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if not isinstance(field, forms.FileField):
                continue
            upload = data.get(name)
            if name in self.refused or (upload is not None and upload.size > self.max_bytes):
                self.errors.pop(name, None)
                data.pop(name, None)
                self.add_error(name, self.too_large())
        return data


class Honeypot(forms.Form):
    """A field people never see nor fill (off screen, out of the keyboard's path); robots that
    fill every field of a form fill it, and their sending is refused. Mixed into the public
    forms: sign-up, password reset, the need form."""

    site_web = forms.CharField(
        label=_("Ne pas remplir"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"class": "honeypot", "tabindex": "-1", "autocomplete": "off"}
        ),
    )

    def clean_site_web(self):
        if self.cleaned_data["site_web"]:
            raise forms.ValidationError(_("Envoi refusé."), code="honeypot")
        return ""

    def clean(self):
        # Not data of the form: what is saved never sees it.
        cleaned = super().clean()
        cleaned.pop("site_web", None)
        return cleaned


class PeriodForm(forms.Form):
    """A list's period filter: from one day to another, both included, either left open."""

    start = DateField(label=_("Du"), required=False, widget=date_input())
    end = DateField(label=_("Au"), required=False, widget=date_input())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("La fin de la période précède son début."))
        return cleaned
