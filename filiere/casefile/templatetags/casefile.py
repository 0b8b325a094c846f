"""What other apps' pages show of the case file, without importing it: the link to a firm's
case file for those who may open it, and the signed-in person's reminders due."""

from django import template
from django.utils import timezone

from filiere.casefile.access import can_see_case_file
from filiere.casefile.selectors import due_reminders
from filiere.directory.models import LegalUnit

register = template.Library()


@register.inclusion_tag("casefile/_link.html", takes_context=True)
def case_file_link(context, unit):
    """A link to the firm's case file, for a partner (nothing for anyone else)."""
    user = context["request"].user
    return {"unit": unit, "shown": unit is not None and can_see_case_file(user, unit)}


@register.inclusion_tag("casefile/_link.html", takes_context=True)
def case_file_link_by_siret(context, siret: str):
    """The link to the case file of the firm a SIRET belongs to, when the directory has it."""
    unit = LegalUnit.objects.filter(siren=siret[:9]).first() if siret else None
    return case_file_link(context, unit)


@register.inclusion_tag("casefile/_due_reminders.html", takes_context=True)
def reminders_due(context):
    """The signed-in person's reminders due today or missed, not done."""
    return {"reminders": due_reminders(context["request"].user, timezone.localdate())}
