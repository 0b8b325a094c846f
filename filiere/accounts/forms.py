"""Forms of people's accounts: sign-in, sign-up and password reset (django-allauth's, with a
honeypot and the platform's labels), and the erasure of one's account."""

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.accounts.enums import PARTNER_ROLES, OrganisationKind, Role, roles_for
from filiere.accounts.models import Organisation
from filiere.common.forms import Honeypot, long_text
from filiere.territory.models import Departement


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Adresse e-mail")
        self.fields["remember"].label = _("Rester connecté sur cet appareil")
        # The page links to the reset under the form, with the link to sign up.
        self.fields["password"].help_text = ""


class SignupForm(Honeypot, allauth_forms.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")


class ResetPasswordForm(Honeypot, allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")


class EraseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        widget=forms.PasswordInput,
        strip=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password


def area_choices(organisation) -> list[tuple[str, str]]:
    """The départements a member may follow: the organisation's, or all of them."""
    departements = Departement.objects.order_by("code")
    if organisation.area:
        departements = departements.filter(code__in=organisation.area)
    return [(d.code, f"{d.code} — {d.name}") for d in departements]


class TeamRoleForm(forms.Form):
    """A member's place in the team: role, admin, area (the organisation's when empty)."""

    role = forms.ChoiceField(label=_("Rôle"))
    is_admin = forms.BooleanField(
        label=_("Administrateur·rice de l'équipe"),
        required=False,
        help_text=_("Invite des collègues, fixe leurs rôles et leurs territoires."),
    )
    area = forms.MultipleChoiceField(
        label=_("Territoire suivi"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucun coché : tout le territoire de l'organisation."),
    )

    def __init__(self, *args, organisation, areas=None, **kwargs):
        """``areas``: the choices of :func:`area_choices`, when a page shows many forms."""
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (role, Role(role).label) for role in roles_for(organisation.kind)
        ]
        if organisation.kind == OrganisationKind.COMPANY:
            # A firm's members follow no territory.
            del self.fields["area"]
        else:
            self.fields["area"].choices = area_choices(organisation) if areas is None else areas

    def clean_area(self):
        return sorted(self.cleaned_data.get("area") or [])


class InvitationForm(TeamRoleForm):
    email = forms.EmailField(label=_("Adresse e-mail de la personne"))
    field_order = ["email", "role", "is_admin", "area"]


class RefuseJoinForm(forms.Form):
    reason = long_text(_("Motif"), help_text=_("La personne le lit dans le mail qui l'en informe."))


class RolesFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), required=False, queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Rôle"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].to_field_name = "slug"
        self.fields["role"].choices = [("", _("Tous"))] + [
            (role.value, role.label) for role in Role if role in PARTNER_ROLES
        ]
