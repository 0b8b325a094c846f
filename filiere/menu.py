"""The site's menu: which entries a person sees, asked of each app's access rules."""

from filiere.activity.access import can_see_activity
from filiere.common.access import May
from filiere.directory.access import can_see_label_desk
from filiere.needs.access import can_see_territory_needs, can_use_inbox
from filiere.support.access import can_see_support


def menu(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "menu": May(
            user,
            None,
            territory_needs=lambda u, _: can_see_territory_needs(u),
            support=lambda u, _: can_see_support(u),
            office_activity=lambda u, _: can_see_activity(u),
            provider_inbox=lambda u, _: can_use_inbox(u),
            label_requests=lambda u, _: can_see_label_desk(u),
            projects=lambda u, _: u.is_authenticated,
            admin=lambda u, _: u.is_staff,
        )
    }
