"""Text messages (SMS), the way Django sends emails: a backend chosen in settings.

PROXIMA_SMS_BACKEND:
- "" (default): no text messages; the pages that could send one do not offer it;
- "file": one file per message in PROXIMA_SMS_FILE_PATH (development and the demo);
- "twilio": Twilio's Messages API (PROXIMA_SMS_ACCOUNT, PROXIMA_SMS_TOKEN, PROXIMA_SMS_FROM;
  PROXIMA_SMS_API_URL to reach another address speaking the same API).
"""

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

MAX_LENGTH = 1600  # what a provider joins into one message at most
TIMEOUT_SECONDS = 15
# North American toll-free and premium-rate codes: no one's mobile phone.
NOT_MOBILE_AREA_CODES = frozenset({"800", "833", "844", "855", "866", "877", "888", "900", "976"})


class SmsNotSent(Exception):
    """The provider refused the message or could not be reached."""


def phone_number(text: str) -> str | None:
    """A number a text can go to, as E.164 ("+14185550101"): ten North American digits
    (with or without 1 before them, any spaces, dashes, dots or brackets; not a toll-free
    or premium-rate code), or "+" and 8 to 15 digits; None when it is not one."""
    text = (text or "").strip()
    if not text or len(text) > 40 or not re.fullmatch(r"[+0-9 ().-]+", text):
        return None
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+"):
        if not 8 <= len(digits) <= 15:
            return None
        if digits.startswith("0"):
            return None  # no country code begins with 0
        if not digits.startswith("1"):
            return f"+{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if (
        len(digits) == 10
        and digits[0] in "23456789"
        and digits[3] in "23456789"
        and digits[1:3] != "11"  # N11 codes (911, 811...) are services, not areas
        and digits[:3] not in NOT_MOBILE_AREA_CODES
        and digits[3:6] != "976"  # premium-rate exchanges
    ):
        return f"+1{digits}"
    return None


def is_enabled() -> bool:
    return bool(getattr(settings, "PROXIMA_SMS_BACKEND", ""))


def send_text(to: str, body: str) -> None:
    """Send one text; SmsNotSent when it did not go."""
    backend = getattr(settings, "PROXIMA_SMS_BACKEND", "")
    if backend == "file":
        _to_file(to, body[:MAX_LENGTH])
    elif backend == "twilio":
        _to_twilio(to, body[:MAX_LENGTH])
    else:
        raise SmsNotSent("no text message backend is set (PROXIMA_SMS_BACKEND)")


def _to_file(to: str, body: str) -> None:
    folder = Path(settings.PROXIMA_SMS_FILE_PATH)
    folder.mkdir(parents=True, exist_ok=True)
    moment = timezone.now().strftime("%Y%m%d-%H%M%S")
    (folder / f"{moment}-{uuid.uuid4().hex[:8]}.txt").write_text(
        f"To: {to}\n\n{body}\n", encoding="utf-8"
    )


def _to_twilio(to: str, body: str) -> None:
    account = settings.PROXIMA_SMS_ACCOUNT
    url = f"{settings.PROXIMA_SMS_API_URL.rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json"
    if not url.startswith(("https://", "http://")):
        raise SmsNotSent("PROXIMA_SMS_API_URL must be an http(s) address")
    data = urllib.parse.urlencode({"To": to, "From": settings.PROXIMA_SMS_FROM, "Body": body})
    token = base64.b64encode(f"{account}:{settings.PROXIMA_SMS_TOKEN}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 (an http(s) address, checked above)
        url,
        data=data.encode(),
        headers={
            "Authorization": f"Basic {token}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as refused:
        raise SmsNotSent(f"the provider answered {refused.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as failed:
        raise SmsNotSent(f"the provider could not be reached: {failed}") from None
    if answer.get("status") in ("failed", "undelivered"):
        raise SmsNotSent(f"the provider says {answer.get('status')}")
