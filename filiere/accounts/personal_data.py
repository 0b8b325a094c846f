"""The registry of personal data (GDPR): each app declares the models it holds about a person,
how to export them (right of access) and how to erase them (right to erasure).

``accounts`` exports and erases through this registry without importing the apps above it.
An app registers once, in its ``AppConfig.ready``, the models it covers and what erasure does
to each: a record that others need is *kept*, the person unnamed (their links set to NULL,
their details blanked); a record that is the person's alone is *deleted*.
``tests/accounts/test_personal_data.py`` fails when a model linked to a user, or holding a
person's name, e-mail or phone, is covered by no app.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalChanges

from filiere.accounts.limits import lift_lockout
from filiere.accounts.models import (
    Absence,
    DigestEntry,
    EmailOptOut,
    Invitation,
    JoinRequest,
    Membership,
    NotificationPreference,
    OutgoingMail,
    User,
)
from filiere.common.exports import Column
from filiere.common.history import KINDS


class Erasure(Enum):
    # The record stays for those who need it; the person's links and details go.
    KEPT = "kept"
    # The record is the person's alone and goes with them.
    DELETED = "deleted"


@dataclass(frozen=True)
class Section:
    """One part of a person's export: its key in the JSON file, its heading on the account
    page, its columns (``Column.name`` keys the JSON, ``Column.label`` heads the page's
    table) and its rows. ``single``: one row, exported as an object (the account itself)."""

    key: str
    title: str
    columns: Sequence[Column]
    rows: Sequence
    single: bool = False

    def as_data(self) -> list[dict] | dict:
        rows = [{c.name: json_value(c.value(row)) for c in self.columns} for row in self.rows]
        return rows[0] if self.single else rows


def json_value(value):
    """A cell as the JSON export writes it: ISO dates and times; amounts (decimals) as their
    exact text, as translated labels are."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Holder:
    """What one app holds about people: its models and what erasure does to each, the
    sections of its export, and its erasure (run before the account is deleted)."""

    app: str
    models: Mapping[type[models.Model], Erasure]
    export: Callable[[User], list[Section]]
    erase: Callable[[User], None]


_HOLDERS: dict[str, Holder] = {}


def register(
    app: str,
    *,
    models: Mapping[type[models.Model], Erasure],
    export: Callable[[User], list[Section]],
    erase: Callable[[User], None],
) -> None:
    if app in _HOLDERS:
        raise ValueError(f"The personal data of {app!r} is registered twice")
    _HOLDERS[app] = Holder(app=app, models=dict(models), export=export, erase=erase)


def holders() -> list[Holder]:
    """Every app's holder, in the order the apps start (the lower floors first)."""
    return list(_HOLDERS.values())


def covered() -> dict[type[models.Model], Erasure]:
    """Every model some app covers, with what erasure does to it."""
    return {model: erasure for holder in holders() for model, erasure in holder.models.items()}


# The accounts app's own data, declared as every app's is.

ACCOUNT = (
    Column("email", _("Adresse e-mail"), lambda user: user.email),
    Column("prenom", _("Prénom"), lambda user: user.first_name),
    Column("nom", _("Nom"), lambda user: user.last_name),
    Column("inscrit_le", _("Inscrit·e le"), lambda user: user.date_joined),
    Column("derniere_connexion", _("Dernière connexion"), lambda user: user.last_login),
)
MEMBERSHIPS = (
    Column("organisation", _("Organisation"), lambda m: m.organisation.name),
    Column("role", _("Rôle"), lambda m: str(m.get_role_display())),
    Column("administrateur", _("Administrateur·rice"), lambda m: m.is_admin),
    Column("territoire", _("Territoire"), lambda m: ", ".join(m.area)),
    Column("active", _("Active"), lambda m: m.is_active),
)
JOIN_REQUESTS = (
    Column("organisation", _("Organisation"), lambda r: r.organisation.name),
    Column("message", _("Message"), lambda r: r.message),
    Column("etat", _("État"), lambda r: str(r.get_status_display())),
    Column("demandee_le", _("Demandée le"), lambda r: r.created_at),
    Column("decidee_le", _("Décidée le"), lambda r: r.decided_at),
    Column("motif", _("Motif"), lambda r: r.reason),
)
INVITATIONS = (
    Column("organisation", _("Organisation"), lambda i: i.organisation.name),
    Column("email", _("Adresse invitée"), lambda i: i.email),
    Column("role", _("Rôle"), lambda i: str(i.get_role_display())),
    Column("envoyee_le", _("Envoyée le"), lambda i: i.created_at),
    Column("acceptee_le", _("Acceptée le"), lambda i: i.accepted_at),
)
ADDRESSES = (
    Column("email", _("Adresse e-mail"), lambda address: address.email),
    Column("verifiee", _("Vérifiée"), lambda address: address.verified),
    Column("principale", _("Principale"), lambda address: address.primary),
)
SIGN_IN_LINKS = (
    Column("service", _("Service"), lambda link: link.provider),
    Column("identifiant", _("Identifiant chez ce service"), lambda link: link.uid),
    Column("lie_le", _("Lié le"), lambda link: link.date_joined),
)
OPT_OUTS = (
    Column("email", _("Adresse e-mail"), lambda opt_out: opt_out.email),
    Column("depuis_le", _("Depuis le"), lambda opt_out: opt_out.created_at),
)

MAILS = (
    Column("objet", _("Objet"), lambda mail: mail.subject),
    Column("ecrit_le", _("Écrit le"), lambda mail: mail.created_at),
    Column("etat", _("État"), lambda mail: mail.get_status_display()),
    Column("envoye_le", _("Envoyé le"), lambda mail: mail.sent_at),
)

PREFERENCES = (
    Column("categorie", _("Catégorie"), lambda row: row.get_category_display()),
    Column("frequence", _("Fréquence"), lambda row: row.get_frequency_display()),
)

HELD = (
    Column("objet", _("Objet"), lambda entry: entry.subject),
    Column("ecrit_le", _("Écrit le"), lambda entry: entry.created_at),
    Column("resume", _("Résumé"), lambda entry: entry.get_frequency_display()),
)

ABSENCES = (
    Column("absent", _("Absent·e"), lambda absence: str(absence.user)),
    Column("du", _("Du"), lambda absence: absence.starts_on),
    Column("au", _("Au"), lambda absence: absence.ends_on),
    Column("remplacant", _("Remplaçant·e"), lambda absence: str(absence.stand_in)),
)


def _accounts_export(user: User) -> list[Section]:
    return [
        Section("compte", _("Votre compte"), ACCOUNT, [user], single=True),
        Section(
            "adresses_email",
            _("Vos adresses e-mail"),
            ADDRESSES,
            EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        ),
        Section(
            "connexions_externes",
            _("Connexions par un autre service (ProConnect)"),
            SIGN_IN_LINKS,
            SocialAccount.objects.filter(user=user).order_by("pk"),
        ),
        Section(
            "appartenances",
            _("Vos organisations"),
            MEMBERSHIPS,
            user.memberships.select_related("organisation").order_by("organisation__name"),
        ),
        Section(
            "demandes_adhesion",
            _("Vos demandes pour rejoindre une équipe"),
            JOIN_REQUESTS,
            JoinRequest.objects.filter(user=user).select_related("organisation"),
        ),
        Section(
            "invitations",
            _("Invitations envoyées et reçues"),
            INVITATIONS,
            Invitation.objects.filter(
                Q(invited_by=user) | Q(accepted_by=user) | Q(email__iexact=user.email)
            ).select_related("organisation"),
        ),
        Section(
            "desabonnement",
            _("Notifications refusées"),
            OPT_OUTS,
            EmailOptOut.objects.filter(email__iexact=user.email),
        ),
        Section(
            "emails",
            _("E-mails que la plateforme vous a écrits (gardés 30 jours)"),
            MAILS,
            OutgoingMail.objects.filter(to__iexact=user.email),
        ),
        Section(
            "preferences_notifications",
            _("Vos choix de notifications"),
            PREFERENCES,
            user.notification_preferences.order_by("category"),
        ),
        Section(
            "notifications_en_attente",
            _("Notifications en attente de votre résumé"),
            HELD,
            DigestEntry.objects.filter(to__iexact=user.email),
        ),
        Section(
            "absences",
            _("Vos absences et remplacements"),
            ABSENCES,
            Absence.objects.filter(Q(user=user) | Q(stand_in=user)).select_related(
                "user", "stand_in"
            ),
        ),
    ]


def _accounts_erase(user: User) -> None:
    # The memberships and requests to join are the person's alone: the organisation keeps
    # its other members. Invitations to the person's address go too; those they sent stay,
    # unsigned, for the invited to accept.
    Membership.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).delete()
    Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).delete()
    # The mails written to the address, sent or waiting, name it.
    OutgoingMail.objects.filter(to__iexact=user.email).delete()
    DigestEntry.objects.filter(to__iexact=user.email).delete()
    # Their absences, and those where they stand in (the absent colleague records another).
    Absence.objects.filter(Q(user=user) | Q(stand_in=user)).delete()
    # The failed sign-ins recorded against the address (django-axes) name it.
    lift_lockout(email=user.email)
    # The opt-out is kept on purpose: it is the objection itself (GDPR art. 21), and it
    # keeps notifications from reaching the address if someone names it again (a contact
    # entry, an invitation). It holds the address and a date, nothing more.


# The history of corrections (common.history), in every app: who made each change. The
# entries are the record's, kept unsigned; the values they hold are no one's details (a
# test checks that no history copies a person's name, e-mail or phone).

CORRECTIONS = (
    Column("fiche", _("Fiche"), lambda r: f"{r.instance_type._meta.verbose_name} n° {r.id}"),
    Column("date", _("Date"), lambda r: r.history_date),
    Column("nature", _("Nature"), lambda r: str(KINDS[r.history_type])),
    Column("motif", _("Motif"), lambda r: r.history_change_reason or ""),
)


def histories() -> list[type[models.Model]]:
    """Every history table of the platform's models."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) and model.__module__.startswith("filiere.")
    ]


def _person_links(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    ]


def _histories_export(user: User) -> list[Section]:
    rows = [
        record
        for model in histories()
        for record in model.objects.filter(history_user=user).order_by("history_date")
    ]
    rows.sort(key=lambda record: record.history_date)
    return [Section("corrections_faites", _("Saisies et corrections faites"), CORRECTIONS, rows)]


def _histories_erase(user: User) -> None:
    for model in histories():
        for name in _person_links(model):
            model.objects.filter(**{name: user}).update(**{name: None})


register(
    "accounts",
    models={
        User: Erasure.DELETED,
        Membership: Erasure.DELETED,
        JoinRequest: Erasure.DELETED,
        Invitation: Erasure.DELETED,
        EmailOptOut: Erasure.KEPT,
        OutgoingMail: Erasure.DELETED,
        NotificationPreference: Erasure.DELETED,
        DigestEntry: Erasure.DELETED,
        Absence: Erasure.DELETED,
    },
    export=_accounts_export,
    erase=_accounts_erase,
)
register(
    "history",
    models=dict.fromkeys(histories(), Erasure.KEPT),
    export=_histories_export,
    erase=_histories_erase,
)
