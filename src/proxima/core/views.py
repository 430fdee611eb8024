"""Pages Django shows by itself (errors), in the person's language and the site's look."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request, reason: str = ""):
    """A form sent without its security token (an old page, or a page from elsewhere)."""
    text = _("This form has expired or did not come from Proxima. Reload the page and try again.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=403)
    return render(request, "403.html", {"reason": text}, status=403)
