"""The sector's public showcase: its page, a page per published project, the firms with
granted labels, and the widget partners' sites frame."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from filiere.accounts.notifications import absolute_url
from filiere.common.exports import listing
from filiere.common.framing import embeddable
from filiere.showcase import selectors
from filiere.showcase.forms import LabelFilterForm, MarketFilterForm, WidgetForm

# How many events and labels the showcase's page shows (the rest: events and firms pages).
SHOWN = 6


@require_safe
def home(request):
    filters = MarketFilterForm(request.GET)
    market = filters.cleaned_data["market"] if filters.is_valid() else ""
    projects = listing(request, selectors.showcase_projects(market=market))
    return render(
        request,
        "showcase/home.html",
        {
            "filters": filters,
            "listing": projects,
            "projects": selectors.showcased(projects.rows),
            "upcoming": list(selectors.upcoming_events()[:SHOWN]),
            "past": list(selectors.past_events()[:SHOWN]),
            "grants": list(selectors.granted_labels()[:SHOWN]),
            "widget_url": absolute_url(reverse("showcase:widget")),
            "feed_urls": (
                absolute_url(reverse("showcase:rss")),
                absolute_url(reverse("showcase:atom")),
            ),
        },
    )


@require_safe
def project(request, pk):
    shown = selectors.showcase_project(pk)
    if shown is None:
        raise Http404
    return render(request, "showcase/project.html", {"shown": shown})


@require_safe
def firms(request):
    labels = selectors.labels()
    filters = LabelFilterForm(request.GET, labels=labels)
    label = filters.cleaned_data["label"] if filters.is_valid() else ""
    grants = listing(request, selectors.granted_labels(label=label))
    return render(
        request,
        "showcase/firms.html",
        {"filters": filters, "listing": grants, "grants": grants.rows},
    )


@embeddable
@require_safe
def widget(request):
    """A small page for partners' sites to frame: the latest ``n`` projects, events or
    labels (``type``), with its own style sheet; its links open the showcase."""
    options = WidgetForm(request.GET)
    if not options.is_valid():
        return render(request, "showcase/widget.html", {"options": options}, status=400)
    kind, count = options.cleaned_data["type"], options.cleaned_data["n"]
    return render(
        request,
        "showcase/widget.html",
        {
            "options": options,
            "items": selectors.ITEMS[kind](count),
            "kind_label": dict(options.fields["type"].choices)[kind],
        },
    )
