"""The only pages another site may show in a frame: what partners embed in their own sites
(the need form, the showcase's widget). Every other page keeps refusing frames, by its
``X-Frame-Options: DENY`` and its policy's ``frame-ancestors 'none'``.
"""

from csp.decorators import csp_replace
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view):
    """Lets any site frame ``view``: no X-Frame-Options, and ``frame-ancestors *``."""
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))
