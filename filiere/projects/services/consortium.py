"""The project's consortium: partners join it (once each) and leave it, the lead excepted,
while the lead may edit the project; each change is kept in the consortium's history."""

from django.db import transaction
from django.utils.translation import gettext as _

from filiere.common import history
from filiere.common.refusals import Refused
from filiere.projects import access
from filiere.projects.models import Partner, Project
from filiere.projects.services.base import locked


@transaction.atomic
def partner_add(
    *, project: Project, user, legal_unit=None, name: str, kind: str, budget
) -> Partner:
    """A firm of the directory (``legal_unit``) or another body named ``name`` joins."""
    project = locked(project)
    access.check_edit_project(user, project)
    if legal_unit is not None and project.partners.filter(legal_unit=legal_unit).exists():
        raise Refused(
            "project.already_partner",
            _("%(name)s fait déjà partie du consortium.") % {"name": name},
            field="legal_unit",
        )
    partner = Partner(project=project, legal_unit=legal_unit, name=name, kind=kind, budget=budget)
    partner._history_user = user
    partner.save()
    return partner


@transaction.atomic
def partner_remove(*, partner: Partner, user) -> None:
    access.check_edit_project(user, locked(partner.project))
    if partner.is_lead:
        raise Refused("project.lead_stays", _("Le porteur ne peut pas quitter son propre projet."))
    history.delete(partner, reason="", user=user)
