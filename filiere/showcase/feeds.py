"""The showcase's feeds, RSS 2.0 and Atom: the projects published, the labels granted and
the events, each item with a GUID that stays the same while it is on the showcase."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from filiere.accounts.notifications import absolute_url
from filiere.showcase import selectors

FEED_ITEMS = 30


class ShowcaseRss(Feed):
    title = _("Vitrine de la filière numérique")
    description = _(
        "Les projets d'innovation labellisés, les labels accordés aux entreprises et les "
        "événements du contrat de filière."
    )

    def link(self):
        return reverse("showcase:home")

    def items(self):
        return selectors.feed_items(FEED_ITEMS)

    def item_title(self, item: selectors.Item) -> str:
        return item.title

    def item_description(self, item: selectors.Item) -> str:
        return item.description

    def item_link(self, item: selectors.Item) -> str:
        return item.path

    def item_guid(self, item: selectors.Item) -> str:
        # Tied to the showcase's address and the thing, not to its page's path.
        return absolute_url(f"{reverse('showcase:home')}#{item.key}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: selectors.Item):
        return item.at

    def item_categories(self, item: selectors.Item) -> tuple[str, ...]:
        return (item.kind,)


class ShowcaseAtom(ShowcaseRss):
    feed_type = Atom1Feed
    subtitle = ShowcaseRss.description

    def item_updateddate(self, item: selectors.Item):
        return item.at
