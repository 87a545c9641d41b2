"""Content-Security-Policy middleware: enforced on the site, report-only in the admin."""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the report-only policy kept to the admin.

    The enforcing policy excludes /admin/ (EXCLUDE_URL_PREFIXES) because the
    Wagtail admin still uses inline scripts and styles; the admin gets the
    report-only policy instead, so violations show up without breaking
    editors. Public pages carry only the enforcing header, never both.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path_info.startswith(ADMIN_PREFIX):
            response._csp_exempt_ro = True  # type: ignore[attr-defined]
        return super().process_response(request, response)
