"""Forms of the directory pages; errors are in the user's language."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proxima.core import formats
from proxima.core.forms import filtered_list
from proxima.directory.models import CapacityStatus, TaxonomyTerm
from proxima.directory.services import geo
from proxima.directory.services.search import (
    DELIVERY_MODE_LABELS,
    MAX_QUERY_LENGTH,
    SearchQuery,
)
from proxima.directory.services.taxonomy import first_level_domains, need_domain_term_id
from proxima.directory.services.text import sort_key

DELIVERY_CHOICES = list(DELIVERY_MODE_LABELS.items())
LANGUAGE_CHOICES = [
    ("", _("Any language")),
    ("fr", "Français"),
    ("en", "English"),
    ("ar", "العربية (arabe / Arabic)"),
    ("es", "Español"),
    ("zh", "中文 (chinois / Chinese)"),
    ("fa", "فارسی (persan / Persian)"),
    ("sw", "Kiswahili"),
    ("ht", "Kreyòl"),
    ("vi", "Tiếng Việt"),
    ("ln", "Lingála"),
]
DISTANCE_CHOICES = [
    ("", _("Any distance")),
    ("1", "1 km"),
    ("2", "2 km"),
    ("5", "5 km"),
    ("10", "10 km"),
    ("25", "25 km"),
    ("50", "50 km"),
]


def _category_choices():
    terms = TaxonomyTerm.objects.filter(id__in=_need_domain_ids()).order_by("name")
    return [("", _("All needs"))] + sorted(
        ((t.id, t.localized_name) for t in terms),
        key=lambda choice: formats.collation_key(choice[1]),
    )


def _need_domain_ids() -> list[str]:
    return [need_domain_term_id(code) for code in first_level_domains()]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "autofocus": True,
                "placeholder": _("e.g. food bank, logement, my son has nothing to do after school"),
            }
        ),
    )
    category = forms.ChoiceField(label=_("Need"), required=False)
    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 8}),
    )
    place = forms.ChoiceField(label=_("or a place"), required=False)
    km = forms.ChoiceField(label=_("Within"), required=False, choices=DISTANCE_CHOICES)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=LANGUAGE_CHOICES)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    age = forms.IntegerField(
        label=_("Age of the person"), required=False, min_value=0, max_value=130
    )
    modes = forms.MultipleChoiceField(
        label=_("How it is given"),
        required=False,
        choices=DELIVERY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    accessible = forms.BooleanField(label=_("Wheelchair accessible"), required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        # The territories' neighbourhoods, grouped by region.
        self.fields["place"].choices = [("", _("—")), *geo.place_choices()]

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and geo.postal_code_point(value) is None:
            raise forms.ValidationError(
                _("This is not a known Canadian postal code (e.g. K1L 8C4).")
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("km") and not (data.get("postal_code") or data.get("place")):
            self.add_error("km", _("Give a postal code or a place to search by distance."))
        return data

    def to_query(self, per_page: int = 20) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(
            text=data.get("q", ""),
            taxonomy_term_ids=[data["category"]] if data.get("category") else [],
            postal_code=data.get("postal_code", ""),
            place="" if data.get("postal_code") else data.get("place", ""),
            max_km=float(data["km"]) if data.get("km") else None,
            open_at=timezone.now() if data.get("open_now") else None,
            languages=[data["language"]] if data.get("language") else [],
            free_only=bool(data.get("free")),
            age=data.get("age"),
            delivery_modes=list(data.get("modes") or []),
            wheelchair_accessible=bool(data.get("accessible")),
            page=data.get("page") or 1,
            per_page=per_page,
        )


class ServiceEditForm(forms.Form):
    name_fr = forms.CharField(label=_("Name (French)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_fr = forms.CharField(
        label=_("Description (French)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    application_process = forms.CharField(
        label=_("How to apply"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    delivery_modes = forms.MultipleChoiceField(
        label=_("Delivery modes"), choices=DELIVERY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    is_free = forms.TypedChoiceField(
        label=_("Cost"),
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
        choices=[("", _("Not specified")), ("yes", _("Free of charge")), ("no", _("Fees apply"))],
    )


class TerritoriesServedForm(forms.Form):
    territories = forms.TypedMultipleChoiceField(
        label=_("Territories served"),
        help_text=_(
            "The service takes people living in these territories; none: wherever they live."
        ),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs=filtered_list(size=10)),
    )

    def __init__(self, *args, **kwargs):
        from proxima.territories.services import territory_choices

        super().__init__(*args, **kwargs)
        self.fields["territories"].choices = territory_choices()

    def clean_territories(self):
        from proxima.territories.services import current_territories

        chosen = self.cleaned_data["territories"]
        return list(current_territories().filter(pk__in=chosen)) if chosen else []


class CapacityForm(forms.Form):
    capacity_status = forms.ChoiceField(label=_("Capacity"), choices=CapacityStatus.choices)


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAY_CHOICES, coerce=int)
    opens_at = forms.TimeField(
        label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes_at = forms.TimeField(
        label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["opens_at"] == data["closes_at"]:
            raise forms.ValidationError(_("Opening and closing times must differ."))
        return data


HoursFormSet = forms.formset_factory(HoursForm, extra=2, max_num=21, can_delete=True)


def need_domain_choices():
    """Every need domain and sub-domain, as "Domain › Sub-domain", in the user's language."""
    from proxima.directory.services.taxonomy import NEED_DOMAINS_TAXONOMY_ID

    terms = {t.id: t for t in TaxonomyTerm.objects.filter(taxonomy_id=NEED_DOMAINS_TAXONOMY_ID)}

    def label(term) -> str:
        parent = terms.get(term.parent_id)
        return f"{parent.localized_name} › {term.localized_name}" if parent else term.localized_name

    return sorted(((t.id, label(t)) for t in terms.values()), key=lambda c: sort_key(c[1]))


class NeedMappingForm(forms.Form):
    """A need domain a coordinator adds to a term of an imported taxonomy."""

    need = forms.ChoiceField(label=_("Need domain"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", "—")] + need_domain_choices()
