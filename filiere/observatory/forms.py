from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.common.bounds import out_of_span
from filiere.common.forms import DateField, UploadForm, date_input, long_text
from filiere.observatory.selectors import at_bounds, observatory_departements, observatory_scope
from filiere.territory.enums import NafLevel
from filiere.territory.models import NafCode
from filiere.territory.sectors import DEFAULT_SECTOR
from filiere.territory.selectors import current_sectors, site_region_code

LEVELS = [
    ("departement", _("Départements")),
    ("epci", _("Intercommunalités")),
    ("commune", _("Communes")),
]


class ObservatoryForm(forms.Form):
    territory = forms.ChoiceField(label=_("Territoire"))
    sector = forms.ChoiceField(label=_("Filière"), required=False)
    at = DateField(
        label=_("Au"),
        required=False,
        widget=date_input(),
    )
    level = forms.ChoiceField(label=_("Carte par"), choices=LEVELS, required=False)

    def __init__(self, *args, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        departements = observatory_departements()
        regions = {d.region.code: d.region for d in departements}.values()
        self.fields["territory"].choices = [(f"region:{r.code}", r.name) for r in regions] + [
            (f"dep:{d.code}", str(d)) for d in departements
        ]
        self.fields["sector"].choices = [("", _("Toutes activités"))] + [
            (s.slug, s.name) for s in sectors
        ]
        # The page opens on the contract's sector, and its form says so: sent unchanged, it
        # shows the same figures (it opened on « Toutes activités » while showing the digital
        # sector's, and « Afficher » switched them).
        if any(s.slug == DEFAULT_SECTOR for s in sectors):
            self.fields["sector"].initial = DEFAULT_SECTOR
        # The page opens on today's figures, and its form says that day too.
        self.fields["at"].initial = timezone.localdate()
        # The register's days (clean_at), stricter than the platform's years, say the bound.
        self.fields["at"].validators = []

    def clean_at(self):
        day = self.cleaned_data["at"]
        low, high = at_bounds()
        if day is not None and not low <= day <= high:
            raise forms.ValidationError(out_of_span(low, high))
        return day

    def cleaned(self) -> dict:
        """The form's values, with defaults for what was left empty."""
        data = self.cleaned_data if self.is_valid() else {}
        choices = [value for value, _label in self.fields["territory"].choices]
        return {
            "territory": data.get("territory")
            or (choices[0] if choices else f"region:{site_region_code()}"),
            "sector": data.get("sector", "") if data else self.fields["sector"].initial or "",
            "at": data.get("at") or timezone.localdate(),
            "level": data.get("level") or "departement",
        }


class SectorDefinitionForm(forms.Form):
    slug = forms.SlugField(
        label=_("Identifiant"),
        max_length=60,
        help_text=_("Un identifiant existant crée une nouvelle version."),
    )
    name = forms.CharField(label=_("Nom"), max_length=120)
    description = long_text(_("Description"), required=False)
    source = long_text(
        _("Source de la définition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    codes = forms.CharField(
        label=_("Codes NAF"),
        # The 732 sub-classes of NAF rev. 2, each with a comment, fit.
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Un code par ligne, suivi si besoin d'un commentaire : « 62.01Z Programmation »."
        ),
    )

    def clean_codes(self) -> list[tuple[str, str]]:
        known = set(NafCode.objects.filter(level=NafLevel.SUBCLASS).values_list("code", flat=True))
        codes, errors, seen = [], [], set()
        for number, line in enumerate(self.cleaned_data["codes"].splitlines(), start=1):
            if not line.strip():
                continue
            code, _space, comment = line.strip().partition(" ")
            code = code.upper()
            if code not in known:
                errors.append(
                    _("ligne %(n)s : code NAF inconnu « %(code)s »") % {"n": number, "code": code}
                )
            elif code in seen:
                errors.append(
                    _("ligne %(n)s : « %(code)s » est déjà listé") % {"n": number, "code": code}
                )
            else:
                seen.add(code)
                codes.append((code, comment.strip()[:255]))
        if errors:
            raise forms.ValidationError(errors)
        if not codes:
            raise forms.ValidationError(_("Donnez au moins un code NAF."))
        return codes


# What the reader takes (engine.register.reader): CSV, gzipped CSV, zipped CSV, parquet.
STOCK_SUFFIXES = (".csv", ".csv.gz", ".zip", ".parquet")


def _stock_file(label, *, required: bool, help_text) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=200,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(STOCK_SUFFIXES)}),
    )


class RegisterImportForm(UploadForm):
    """The stock files of an import started from the page, and what to keep of them."""

    establishments = _stock_file(
        _("Fichier des établissements"),
        required=True,
        help_text=_("StockEtablissement… de l'INSEE : CSV, CSV compressé (zip, gz) ou parquet."),
    )
    legal_units = _stock_file(
        _("Fichier des unités légales"),
        required=False,
        help_text=_("StockUniteLegale… : il donne leur nom aux entreprises (facultatif)."),
    )
    territory = forms.CharField(
        label=_("Territoire"),
        max_length=200,
        help_text=_("Code de région (28), codes de départements (14,50) ou de communes."),
    )
    sector = forms.ChoiceField(label=_("Filière"), required=False)
    accept_rejected_rows = forms.BooleanField(
        label=_("Écrire les lignes valides même si d'autres sont rejetées"), required=False
    )

    @property
    def max_bytes(self) -> int:
        return settings.FILIERE_REGISTER_UPLOAD_MAX_BYTES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].initial = site_region_code()
        self.fields["sector"].choices = [("", _("Toutes activités"))] + [
            (s.slug, s.name) for s in current_sectors()
        ]

    def too_large(self) -> str:
        return _("%(too_large)s Un fichier plus gros s'importe avec la commande import_sirene.") % {
            "too_large": super().too_large()
        }

    def _clean_stock(self, name: str):
        upload = self.cleaned_data.get(name)
        if upload and not upload.name.lower().endswith(STOCK_SUFFIXES):
            raise ValidationError(_("Fichier CSV, zip, gz ou parquet attendu."))
        return upload

    def clean_establishments(self):
        return self._clean_stock("establishments")

    def clean_legal_units(self):
        return self._clean_stock("legal_units")

    def clean_territory(self):
        try:
            observatory_scope(self.cleaned_data["territory"], "")
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return self.cleaned_data["territory"].strip()
