"""Links that people click: only http, https, mailto and tel, anywhere (a listing's
website imported from another directory could say `javascript:`)."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# A bare domain, as directories often write a website ("www.example.org/aide").
BARE_DOMAIN = re.compile(
    r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?:[/?#]\S*)?$", re.I
)
# Characters a browser drops or that break out of an attribute: never in a safe link.
UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def safe_link(value: str | None) -> str:
    """The link to put in an href: as given when its scheme is http(s), mailto or tel;
    a bare domain gets https://; anything else (javascript:, data:, //host, text) is ""."""
    text = (value or "").strip()
    if not text or UNSAFE_CHARACTERS.search(text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    if scheme in SAFE_SCHEMES:
        if scheme in {"http", "https"} and not parts.netloc:
            return ""
        return text
    if not scheme and not text.startswith("/") and BARE_DOMAIN.match(text):
        return f"https://{text}"
    return ""


def validate_safe_link(value: str) -> None:
    """Model and form validator: empty, or a link `safe_link` accepts."""
    if value and not safe_link(value):
        raise ValidationError(
            _("Only web (http, https), email (mailto) and telephone (tel) links are allowed."),
            code="unsafe_link",
        )
