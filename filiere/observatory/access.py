"""Who may define sectors and import the register: the Region's programme officers (and
administrators)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from filiere.accounts.access import is_programme_officer
from filiere.common.formats import format_value
from filiere.common.refusals import Refused
from filiere.observatory.models import SireneImport


def can_define_sectors(user) -> bool:
    return is_programme_officer(user)


def can_import_register(user) -> bool:
    """Who follows the register's imports and starts them from the page."""
    return is_programme_officer(user)


def check_import_register(user) -> None:
    """Start an import: the role, then one import at a time (two would write the same rows,
    and a worker's memory and disk are sized for one stock)."""
    if not can_import_register(user):
        raise PermissionDenied
    active = SireneImport.objects.active().first()
    if active is not None:
        raise Refused(
            "register_import.one_at_a_time",
            _(
                "Un import du registre est déjà en cours (demandé le %(when)s) : attendez "
                "qu'il se termine ou annulez-le avant d'en lancer un autre."
            )
            % {"when": format_value(active.created_at)},
        )


def access_register_import(user, pk: int) -> SireneImport:
    if not can_import_register(user):
        raise PermissionDenied
    return get_object_or_404(SireneImport.objects.select_related("started_by"), pk=pk)


def can_cancel_import(user, register_import: SireneImport) -> bool:
    """While it waits or reads: its write is one short transaction, and not stopped midway."""
    return can_import_register(user) and (
        register_import.is_queued or (register_import.is_running and not register_import.is_writing)
    )


def check_cancel_import(user, register_import: SireneImport) -> None:
    if not can_import_register(user):
        raise PermissionDenied
    if not can_cancel_import(user, register_import):
        raise Refused(
            "register_import.not_cancellable",
            _(
                "Cet import est terminé ou écrit déjà dans l'annuaire : il ne peut plus être "
                "annulé."
            ),
        )
