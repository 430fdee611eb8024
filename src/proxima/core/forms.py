"""Reading what people type into the pages' forms: a number or a date and time that
cannot be read is None or an error naming the field, in the user's language (Django's
own messages), never a crash."""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proxima.core.errors import InputError, moment_out_of_range


def filtered_list(*, size: int) -> dict:
    """A list box's attributes for picking several among many: a box above it narrows
    the options as one types (core/static/core/proxima.js)."""
    # Lazy: fields are made when their form's module is imported, in no one's language.
    return {"data-filter": gettext_lazy("Type to narrow the list"), "size": size}


def error_texts(form) -> list[str]:
    """A refused form's errors in words: those of the whole form, then each field's
    with its label ("Label: error", in the reader's language)."""
    said = [str(error) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name in form.fields:
            said += [
                _("%(label)s: %(error)s") % {"label": form.fields[name].label, "error": error}
                for error in errors
            ]
    return said


def field_error_text(fields, name: str, text) -> str:
    """One error a service gave for a field (of a form's `fields`), said as the form says
    its own: "Label: error" (the error alone for what is not one of the fields)."""
    field = fields.get(name)
    if field is None or not field.label:
        return str(text)
    return _("%(label)s: %(error)s") % {"label": field.label, "error": text}


def service_error_texts(form, errors: dict) -> list[str]:
    """The errors a service gave (InputError.errors), each under its field's label."""
    return [field_error_text(form.fields, name, text) for name, text in errors.items()]


def whole_number(value) -> int | None:
    """The whole number typed, or None when there is none or it is not one ("²" and
    "--1" pass str.isdigit() or look like numbers, but int() refuses them)."""
    try:
        return forms.IntegerField(required=False).clean(value)
    except ValidationError:
        return None


def moment_or_error(value, field: str, *, error: type[InputError] = InputError) -> datetime | None:
    """The date and time typed (a datetime-local input, in local time, or ISO 8601 with
    an offset), None when empty; one that does not exist (February 30, 25:61, an offset
    of +25:00) raises `error` for the field."""
    try:
        moment = forms.DateTimeField(required=False).clean(value)
    except ValidationError as invalid:
        raise error({field: " ".join(invalid.messages)}) from None
    if problem := moment_out_of_range(moment):
        raise error({field: problem})
    return moment


def day_or_error(value, field: str, *, error: type[InputError] = InputError) -> date | None:
    """A date typed as YYYY-MM-DD (the date input's format), None when empty; one that
    does not exist, or lies outside the years Proxima accepts, raises `error`."""
    value = (value or "").strip() if isinstance(value, str) else value
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise error({field: _("This date does not exist.")}) from None
    if problem := moment_out_of_range(day):
        raise error({field: problem})
    return day


# The largest id a database column of whole numbers holds (a larger one is no record).
LARGEST_ID = 2**63 - 1


def plain_id(value) -> bool:
    """Empty, or a whole number in ASCII digits a database can hold as an id."""
    text = str(value or "")
    return not text or (text.isascii() and text.isdigit() and int(text) <= LARGEST_ID)


class RecordField(forms.ModelChoiceField):
    """One record by id; an id that is not a whole number the database can hold is an
    invalid choice like any other (not a database error)."""

    def to_python(self, value):
        if not plain_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class UserField(RecordField):
    """One of the accounts offered, named by its person (or its user name)."""

    def label_from_instance(self, user):
        return user.get_full_name() or user.username


def blank_first(choices) -> list:
    """The choices after an empty one ("—"), which a required field refuses."""
    return [("", "—"), *choices]


def day_input() -> forms.DateInput:
    """The browser's date input, its value written as ISO days whatever the language (a
    French "07/12/2025" is no value to it: the field would show empty, and a form saved
    as shown would lose its date)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayField(forms.DateField):
    """A date as the date input sends it, YYYY-MM-DD in ASCII digits only (full-width
    or other scripts' digits, which Python's int() reads, are not a date here; nor
    "01/02/2026", which is a different day in each language)."""

    input_formats = ["%Y-%m-%d"]

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not value.strip().isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def iso_moment(value) -> datetime | None:
    """A date and time written in ISO 8601 in a file or a query (HSDS, Proxima's
    extension), aware; None when it is not one, does not exist (month 13, an offset of
    +25:00) or lies outside the years Proxima accepts (year 9999 at 23:00 in Québec is
    year 10000 in UTC: it could not even be saved)."""
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        return None
    if moment is None or moment_out_of_range(moment):
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
