"""The one shape of "bad input" across Proxima: every field that is wrong, each with a
message for the user in their language. Services raise a subclass; pages list the
messages, the API answers 400 with them (proxima/api.py)."""

from datetime import UTC

from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 1900, 2199


class InputError(ValueError):
    """`errors` maps field names (or records) to messages for the user."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def is_blank(text: str) -> bool:
    """Nothing a reader would see: empty, spaces, or only invisible characters (a
    zero-width space, a joiner, a direction mark: Unicode's format characters)."""
    import unicodedata

    return all(char.isspace() or unicodedata.category(char) == "Cf" for char in text or "")


def collect_errors(checks, error: type[InputError] = InputError) -> tuple[dict, dict]:
    """Run each (name, check) and keep what each gives: every problem at once (the
    `error` each check raises), not only the first."""
    fields, errors = {}, {}
    for name, check in checks:
        try:
            fields[name] = check()
        except error as refused:
            errors.update(refused.errors)
    return fields, errors


def moment_out_of_range(value) -> str:
    """Why a date and time given cannot be used, or "": outside 1900-2199 it is a typing
    mistake (and at the calendar's ends it cannot even be moved to UTC or local time)."""
    if value is None:
        return ""
    years = [value.year]
    if getattr(value, "tzinfo", None) is not None:  # stored in UTC: its year counts too
        try:
            years.append(value.astimezone(UTC).year)
        except OverflowError:
            years.append(0)
    return "" if all(FIRST_YEAR <= year <= LAST_YEAR for year in years) else year_range_message()


def year_range_message() -> str:
    return _("Give a date between %(first)d and %(last)d.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }
