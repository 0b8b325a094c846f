"""Who may see and edit what in the directory.

Everyone sees the register's data, the profiles and the labels granted; contacts
(personal data) are shown to signed-in members of a partner organisation and to the
firm's own members; only the firm's own members (and administrators) edit its profile.
Any signed-in person may write to a firm from its page.

Labels are granted, not ticked: the firm's members request one; the coordinators of the
organisation that grants it (and administrators) grant or refuse the request and may
withdraw the label later. A request is seen by the firm's members and by those who
decide it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filiere.accounts.access import (
    check_join_team,
    has_role,
    is_admin,
    is_partner,
    organisation_ids,
    organisation_ids_in_role,
)
from filiere.accounts.enums import Role
from filiere.common.access import May, allows, get_or_404
from filiere.common.refusals import Refused
from filiere.directory.enums import OPEN_LABEL_STATUSES
from filiere.directory.models import Label, LabelRequest, LegalUnit


def is_member_of(user, unit: LegalUnit) -> bool:
    """A member, in any role, of the organisation that owns the firm's entry."""
    return unit.organisation_id is not None and unit.organisation_id in organisation_ids(user)


def can_edit_profile(user, unit: LegalUnit) -> bool:
    return is_admin(user) or is_member_of(user, unit)


def check_join(user, unit: LegalUnit) -> None:
    """A signed-in person may ask to join the team of a firm's entry (the accounts' rule);
    an entry with no team yet is claimed so."""
    if not user.is_authenticated:
        raise PermissionDenied
    if unit.organisation_id:
        check_join_team(user, unit.organisation)


def can_join(user, unit: LegalUnit) -> bool:
    return allows(check_join, user, unit)


def check_contact_firm(user, unit: LegalUnit) -> None:
    """A signed-in person writes to a firm from its page; its own members have no need to."""
    if not user.is_authenticated:
        raise PermissionDenied
    if is_member_of(user, unit):
        raise Refused(
            "directory.contact_own_firm",
            _("Vous faites partie de cette entreprise : écrivez à votre équipe directement."),
        )


def can_contact_firm(user, unit: LegalUnit) -> bool:
    return allows(check_contact_firm, user, unit)


def can_see_contacts(user, unit: LegalUnit) -> bool:
    return can_edit_profile(user, unit) or is_partner(user)


def may_legal_unit(user, unit: LegalUnit) -> May:
    return May(
        user,
        unit,
        edit=can_edit_profile,
        see_contacts=can_see_contacts,
        request_label=can_request_label,
        join=can_join,
        contact=can_contact_firm,
    )


def access_legal_unit(user, siren: str, *, check=None) -> LegalUnit:
    """The firm (everyone sees the directory); with ``check``, only if it allows the user."""
    unit = get_object_or_404(LegalUnit.objects.select_related("organisation"), siren=siren)
    if check is not None and not check(user, unit):
        raise PermissionDenied
    return unit


def units_of(user):
    """The firms whose entry belongs to one of the user's organisations."""
    return LegalUnit.objects.filter(organisation__in=organisation_ids(user))


# Labels


def granting_body_ids(user) -> set[int]:
    """The organisations for which a user grants labels: those where they are a coordinator."""
    return organisation_ids_in_role(user, Role.COORDINATOR)


def grants(user, label: Label) -> bool:
    """A coordinator of the organisation that grants the label, or an administrator (the only
    ones to decide a label whose body is not named yet)."""
    return is_admin(user) or has_role(user, label.granted_by_id, Role.COORDINATOR)


def check_request_label(user, unit: LegalUnit, label: Label | None = None) -> None:
    """A member of the firm (or an administrator) requests a label the firm neither holds nor
    awaits; without ``label``, whether the user may request labels for the firm at all."""
    if not can_edit_profile(user, unit):
        raise PermissionDenied
    if label is None:
        return
    open_request = (
        LabelRequest.objects.filter(legal_unit=unit, label=label, status__in=OPEN_LABEL_STATUSES)
        .only("status")
        .first()
    )
    if open_request is None:
        return
    if open_request.is_granted:
        raise Refused(
            "directory.label_held",
            _("L'entreprise a déjà ce label."),
            field="label",
        )
    raise Refused(
        "directory.label_awaited",
        _("Une demande de ce label attend déjà la décision de l'organisme."),
        field="label",
    )


def check_decide_label(user, label_request: LabelRequest) -> None:
    """The granting body's coordinators grant or refuse a request while it waits."""
    if not grants(user, label_request.label):
        raise PermissionDenied
    if not label_request.is_pending:
        raise Refused(
            "directory.label_request_decided", _("Cette demande de label est déjà décidée.")
        )


def check_withdraw_label(user, label_request: LabelRequest) -> None:
    """The same people withdraw a label they granted (the firm no longer qualifies)."""
    if not grants(user, label_request.label):
        raise PermissionDenied
    if not label_request.is_granted:
        raise Refused(
            "directory.label_not_granted",
            _("Ce label n'est pas accordé : il n'y a rien à retirer."),
        )


def can_request_label(user, unit: LegalUnit) -> bool:
    return allows(check_request_label, user, unit)


def can_decide_label(user, label_request: LabelRequest) -> bool:
    return allows(check_decide_label, user, label_request)


def can_withdraw_label(user, label_request: LabelRequest) -> bool:
    return allows(check_withdraw_label, user, label_request)


def may_label_request(user, label_request: LabelRequest) -> May:
    return May(user, label_request, decide=can_decide_label, withdraw=can_withdraw_label)


def can_see_label_desk(user) -> bool:
    """The page of the requests to decide: coordinators (those of a body that grants no label
    find it empty) and administrators."""
    return is_admin(user) or bool(granting_body_ids(user))


def label_requests_to_decide(user):
    """The requests addressed to the user: those of the labels their organisations grant."""
    if is_admin(user):
        return LabelRequest.objects.all()
    if not can_see_label_desk(user):
        raise PermissionDenied
    return LabelRequest.objects.filter(label__granted_by__in=granting_body_ids(user))


def labels_to_decide(user):
    """The labels whose requests come to the user."""
    if is_admin(user):
        return Label.objects.all()
    return Label.objects.filter(granted_by__in=granting_body_ids(user))


def visible_label_requests(user):
    """The firm's members see its requests; the granting bodies' coordinators, theirs."""
    if is_admin(user):
        return LabelRequest.objects.all()
    return LabelRequest.objects.filter(
        Q(legal_unit__organisation__in=organisation_ids(user))
        | Q(label__granted_by__in=granting_body_ids(user))
    )


def access_label_request(user, pk) -> LabelRequest:
    """A request the user may see (404 otherwise), with what its rules and mails read."""
    return get_or_404(
        visible_label_requests(user).select_related("legal_unit", "label", "label__granted_by"),
        pk,
    )
