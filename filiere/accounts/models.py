"""Users, the organisations they belong to, and the role each membership gives."""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.accounts.enums import (
    JoinRequestStatus,
    JoinTold,
    MailCategory,
    MailFrequency,
    MailStatus,
    OrganisationKind,
    Role,
)
from filiere.common.validators import validate_siren, validate_siret


class EmailUserManager(UserManager):
    """Accounts made by an operator (``createsuperuser``, the demo loader) have their address
    taken as verified; people who sign up verify theirs from the mail (django-allauth, which
    saves the user itself and does not come here)."""

    def _create_user_object(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        return super()._create_user_object(email, email, password, **extra_fields)

    def _create_user(self, username, email, password, **extra_fields):
        with transaction.atomic(using=self._db):
            user = super()._create_user(username, email, password, **extra_fields)
            EmailAddress.objects.using(self._db).create(
                user=user, email=user.email.lower(), primary=True, verified=True
            )
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_user(email, email, password, **extra_fields)

    def get_by_natural_key(self, username):
        """Sign-in finds the account whatever the case of the address, as uniqueness does."""
        return self.get(email__iexact=username)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_superuser(email, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address. Personal data is kept minimal (GDPR)."""

    email = models.EmailField(_("adresse e-mail"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("utilisateur·rice")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def save(self, *args, **kwargs):
        self.username = self.email
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Organisation(models.Model):
    """Any body that takes part: the Region, a cluster, a chamber, a company, a lab…"""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=30, choices=OrganisationKind.choices)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(
        _("SIRET du siège"), max_length=14, blank=True, validators=[validate_siret]
    )
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("commune"),
    )
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # The départements an office covers (needs of other places are not its); empty = all.
    area = models.JSONField(_("départements couverts"), default=list, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siret="")
                | models.Q(siren="")
                | models.Q(siret__startswith=models.F("siren")),
                name="organisation_siret_belongs_to_siren",
                violation_error_message=_("Le SIRET doit commencer par le SIREN."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def display_name(self) -> str:
        if self.short_name and self.short_name != self.name:
            return f"{self.name} ({self.short_name})"
        return self.name

    @property
    def covers_everywhere(self) -> bool:
        return not self.area

    def covers(self, departement: str) -> bool:
        return self.covers_everywhere or departement in self.area

    @property
    def departement_code(self) -> str:
        """The département of the organisation's seat, when its commune is known."""
        return self.commune.departement.code if self.commune_id else ""


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True)

    def admins(self):
        """The active members who run their organisation's team."""
        return self.active().filter(is_admin=True)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=30, choices=Role.choices)
    # An admin runs the organisation's team: invites, sets roles and areas, removes members.
    is_admin = models.BooleanField(
        _("administrateur·rice"),
        default=False,
        help_text=_("Invite des collègues, fixe leurs rôles et leurs territoires."),
    )
    # The départements this member follows within the organisation's; empty = all of them.
    area = models.JSONField(_("territoire"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("appartenance")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def covers_everywhere(self) -> bool:
        return not self.area and self.organisation.covers_everywhere

    def covers(self, departement: str) -> bool:
        """A member follows their own area when they have one, else the organisation's."""
        if self.area:
            return departement in self.area
        return self.organisation.covers(departement)

    @property
    def departements(self) -> list[str]:
        """The départements followed, empty when everywhere."""
        return list(self.area or self.organisation.area)


class EmailOptOut(models.Model):
    """An address that asked for no more notifications (transactional mails still go)."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("désabonnement")

    def __str__(self) -> str:
        return self.email


class OutgoingMail(models.Model):
    """A mail on its way (an outbox). It is written in the transaction of what it tells, so
    that neither goes without the other, and a worker sends it once that transaction has
    committed; one that cannot go is retried, then kept as failed with the reason."""

    to = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("texte"))
    html = models.TextField(_("version HTML"), blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # What the mail is (its template), for the back office and the logs.
    kind = models.CharField(_("nature"), max_length=200)
    status = models.CharField(
        _("état"), max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)
    # When a worker took it to send: one taken long ago by a worker that stopped is retried.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        indexes = [models.Index(fields=["status", "created_at"])]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.to} — {self.subject}"


class NotificationPreference(models.Model):
    """How often a person receives the mails of one category (no row: as soon as possible)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=MailCategory.choices)
    frequency = models.CharField(_("fréquence"), max_length=10, choices=MailFrequency.choices)

    class Meta:
        verbose_name = _("préférence de notification")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="notification_preference_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(category=MailCategory.TRANSACTIONAL),
                name="notification_preference_not_transactional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.category}: {self.frequency}"


class DigestEntry(models.Model):
    """A notification held for a person's daily or weekly digest: a row each, so that none is
    lost when a worker restarts; the digest mail lists them, then they are deleted with it
    written to the outbox, in one transaction."""

    to = models.EmailField(_("destinataire"))
    frequency = models.CharField(_("fréquence"), max_length=10, choices=MailFrequency.choices)
    category = models.CharField(_("catégorie"), max_length=20, choices=MailCategory.choices)
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("texte"))
    kind = models.CharField(_("nature"), max_length=200)
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification en attente de résumé")
        verbose_name_plural = _("notifications en attente de résumé")
        indexes = [models.Index(fields=["frequency", "to"])]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.to} — {self.subject}"


class AbsenceQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Absence(models.Model):
    """An adviser away between two days (both included), and the colleague of the same office
    who receives meanwhile what would have been routed to them."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="absences", verbose_name=_("personne")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("organisation"),
    )
    stand_in = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="stand_ins",
        verbose_name=_("remplaçant·e"),
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("absence")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_it_starts",
                violation_error_message=_("L'absence doit finir après son début."),
            ),
            models.CheckConstraint(
                condition=~models.Q(stand_in=models.F("user")),
                name="absence_stand_in_is_someone_else",
                violation_error_message=_("Choisissez un·e autre membre de l'équipe."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.starts_on} → {self.ends_on}) : {self.stand_in}"


def _person(related_name: str, verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class JoinRequest(models.Model):
    """A person's request to join an organisation, and what became of it: granted at once
    (their verified address is at the firm's domain) or by someone allowed to, refused (why),
    or withdrawn by the person."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("personne")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("organisation"),
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    # Granted at once because the person's verified address is at the firm's web domain.
    by_domain = models.BooleanField(_("accordée par le domaine de l'adresse"), default=False)
    # Who was told of the request, for the person to read.
    told = models.CharField(_("transmise"), max_length=20, choices=JoinTold.choices, blank=True)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    decided_by = _person("join_requests_decided", _("décidée par"))
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    reason = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("demande d'adhésion")
        verbose_name_plural = _("demandes d'adhésion")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"

    @property
    def is_pending(self) -> bool:
        return self.status == JoinRequestStatus.PENDING


INVITATION_DAYS = 14


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


def _invitation_expiry():
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def unanswered(self):
        """Neither accepted nor revoked (expired ones included)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def open(self, now):
        """Still to be accepted on ``now``, as :meth:`Invitation.is_open` says of one."""
        return self.unanswered().filter(expires_at__gt=now)


class Invitation(models.Model):
    """An admin's invitation to an address to join the organisation in a role. It is
    accepted by the person signed in with that address, verified; it expires after
    14 days and may be revoked meanwhile."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=30, choices=Role.choices)
    is_admin = models.BooleanField(_("administrateur·rice"), default=False)
    area = models.JSONField(_("territoire"), default=list, blank=True)
    token = models.CharField(max_length=40, unique=True, default=_invitation_token)
    invited_by = _person("invitations_sent", _("invitée par"))
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"), default=_invitation_expiry)
    accepted_by = _person("invitations_accepted", _("acceptée par"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def is_open(self, now=None) -> bool:
        """Neither accepted, revoked nor expired."""
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at
