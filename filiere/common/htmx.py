"""Render the fragment for an htmx request and the whole page otherwise."""

from django.shortcuts import render


def render_page_or_fragment(request, template: str, fragment: str, context: dict, **kwargs):
    return render(request, fragment if request.htmx else template, context, **kwargs)
