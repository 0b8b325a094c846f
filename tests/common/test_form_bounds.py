"""Every form of the platform bounds its texts and its multiple choices (common.forms)."""

import importlib
import pkgutil

from django import forms

import filiere
from filiere.common.forms import DateField, DateTimeField, ModelMultipleChoiceField

# Fields whose value is never stored nor searched: a password is checked, then dropped; the
# username of django-allauth's sign-up form, which it removes when the e-mail is the username.
UNBOUNDED = {("EraseAccountForm", "password"), ("SignupForm", "username")}


def platform_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(filiere.__path__, "filiere."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("filiere.") and subclass.__module__.endswith(
                ".forms"
            ):
                found.append(subclass)
    return found


def unbounded_fields(form_class) -> list[str]:
    problems = []
    for name, field in form_class.base_fields.items():
        if (form_class.__name__, name) in UNBOUNDED:
            continue
        if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(
            field, ModelMultipleChoiceField
        ):
            problems.append(f"{name}: ids not bounded (common.forms.ModelMultipleChoiceField)")
        if type(field) in (forms.DateField, forms.DateTimeField) and not isinstance(
            field, DateField | DateTimeField
        ):
            problems.append(f"{name}: years not bounded (common.forms.DateField)")
        if type(field) in (forms.CharField, forms.EmailField, forms.URLField) and not (
            field.max_length
        ):
            problems.append(f"{name}: no max_length")
    return problems


def test_the_forms_are_found():
    names = {form.__name__ for form in platform_forms()}
    assert {"NeedForm", "ProfileForm", "SupportNeedForm", "MeasurementForm"} <= names


def test_every_text_has_a_length_every_date_bounded_years_and_every_choice_bounded_ids():
    found = {
        f"{form.__module__}.{form.__name__}": unbounded_fields(form) for form in platform_forms()
    }
    assert {name: problems for name, problems in found.items() if problems} == {}
