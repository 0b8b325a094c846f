"""Forms of people's accounts: sign-in, sign-up and password reset (django-allauth's, with a
honeypot and the platform's labels), and the erasure of one's account."""

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.accounts.enums import (
    PARTNER_ROLES,
    MailCategory,
    MailFrequency,
    OrganisationKind,
    Role,
    roles_for,
)
from filiere.accounts.models import Organisation, User
from filiere.common.forms import DateField, Honeypot, date_input, long_text
from filiere.territory.models import Departement
from filiere.territory.selectors import region_departements


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Adresse e-mail")
        self.fields["remember"].label = _("Rester connecté sur cet appareil")
        # The page links to the reset under the form, with the link to sign up.
        self.fields["password"].help_text = ""


class SignupForm(Honeypot, allauth_forms.SignupForm):
    # The name others read: in the mails to who decides a request to join, the team's list.
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Adresse e-mail")
        self.order_fields(self.field_order)


class NameForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        labels = {"first_name": _("Prénom"), "last_name": _("Nom")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True


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
    """The départements a member may follow: the organisation's, or the platform's région's."""
    if organisation.area:
        departements = Departement.objects.filter(code__in=organisation.area).order_by("code")
    else:
        departements = region_departements()
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
        roles = roles_for(organisation.kind)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        if len(roles) == 1:
            # A firm's people are its members: no role to choose.
            self.fields["role"].initial = roles[0]
            self.fields["role"].widget = forms.HiddenInput()
        if organisation.kind == OrganisationKind.COMPANY:
            # A firm's members follow no territory.
            del self.fields["area"]
            self.fields["is_admin"].help_text = _("Invite des collègues et décide qui rejoint.")
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
        self.fields["organisation"].empty_label = _("Toutes")
        self.fields["role"].choices = [("", _("Tous"))] + [
            (role.value, role.label) for role in Role if role in PARTNER_ROLES
        ]


class NotificationPreferencesForm(forms.Form):
    """One choice per category of notification: at once, in a daily or weekly digest, never."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in MailCategory.chosen():
            self.fields[category.value] = forms.ChoiceField(
                label=category.label, choices=MailFrequency.choices
            )


class AbsenceForm(forms.Form):
    """An absence (both days included) and the colleague of the same office who stands in."""

    starts_on = DateField(label=_("Absent·e du"), widget=date_input())
    ends_on = DateField(label=_("Jusqu’au (inclus)"), widget=date_input())
    stand_in = forms.ChoiceField(label=_("Remplacé·e par"))

    def __init__(self, *args, colleagues, **kwargs):
        """``colleagues``: the memberships of those who may stand in."""
        super().__init__(*args, **kwargs)
        self.fields["stand_in"].choices = [("", _("— Choisir —"))] + list(
            dict.fromkeys(
                (f"{m.organisation_id}-{m.user_id}", f"{m.user} — {m.organisation}")
                for m in colleagues
            )
        )
        self._colleagues = {f"{m.organisation_id}-{m.user_id}": m for m in colleagues}

    def clean(self):
        data = super().clean()
        chosen = self._colleagues.get(data.get("stand_in", ""))
        if chosen is not None:
            data["organisation_id"], data["stand_in"] = chosen.organisation_id, chosen.user
        return data
