from django import template

from filiere.needs.enums import Domain

register = template.Library()


@register.filter
def tag_label(tag: str) -> str:
    """A matching tag as users read it: a domain's name, or a skill's words."""
    scheme, _sep, code = tag.partition(":")
    if scheme == "domaine" and code in Domain.values:
        return Domain(code).label
    return code.replace("-", " ")
