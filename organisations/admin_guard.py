"""One gate in front of every Wagtail admin route for organisation members.

Wagtail checks what a user may *do*; a few admin routes still show an object
to anyone with admin access (an image's insert form, a page chooser's
"chosen" response, a workflow task state passed next to a page id). Every
admin URL name is classified in ``admin_routes.RULES``: most are protected
by Wagtail's own permission policy, and the explicit checks run only for the
documented holes.

- Superusers and province staff pass straight through (Wagtail's own
  permissions still apply).
- A route that is not classified is refused to organisation members, so a
  route added by a Wagtail upgrade stays closed until someone decides about
  it (``tests/guard`` fails on it too).
- A refusal is a 404 that names nothing: the id may not even exist.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from .access import admin_scope
from .admin_routes import OPEN, RULES, STAFF, STAFF_ROUTE_PREFIXES, Rule
from .errors import OrganisationNotVerified

_ADMIN_PATH = re.compile(r"^/admin/")
_PASS_KINDS = frozenset({"open", "delegated"})


def is_classified(url_name: str) -> bool:
    """A decision was made for this route (as opposed to the default refusal)."""
    return url_name in RULES or url_name.startswith(STAFF_ROUTE_PREFIXES)


def rule_for(url_name: str | None) -> Rule:
    """How a route is guarded for organisation members (unknown: refused)."""
    if url_name is None:
        # Wagtail's unnamed catch-all and test404 render the admin 404.
        return OPEN
    return RULES.get(url_name, STAFF)


def request_allowed(request: HttpRequest) -> bool:
    match = request.resolver_match
    rule = rule_for(match.view_name if match.url_name else None)
    if rule.kind in _PASS_KINDS:
        return True
    if rule.kind == "staff":
        return False
    scope = admin_scope(user=request.user)
    return all(check(request, scope, match.kwargs, match.args) for check in rule.checks)


def refusal(request: HttpRequest, *, status: int = 404) -> HttpResponse:
    language = translation.get_language()
    profile = getattr(request.user, "wagtail_userprofile", None)
    if profile is not None:
        language = profile.get_preferred_language()
    with translation.override(language):
        if status == 403:
            return render(
                request,
                "organisations/admin/not_verified.html",
                {"message": OrganisationNotVerified.default_message},
                status=403,
            )
        return render(request, "wagtailadmin/404.html", status=status)


def _drop_unsafe_next(request: HttpRequest) -> None:
    """Forget a ``next`` that is not a path of this site.

    Wagtail's views redirect to a posted ``next`` after saving; a value such
    as ``abc`` passes its host check but makes ``redirect`` look it up as a URL
    name, a NoReverseMatch (a 500). Wagtail itself only ever sends paths.
    """
    for name in ("GET", "POST"):
        params = getattr(request, name)
        value = params.get("next")
        if value is not None and not value.startswith("/"):
            params = params.copy()
            del params["next"]
            setattr(request, name, params)


class AdminScopeMiddleware:
    """Refuse admin routes outside an organisation member's scope (404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _ADMIN_PATH.match(request.path_info):
            return None
        _drop_unsafe_next(request)
        user = request.user
        if not user.is_authenticated:
            return None  # Wagtail sends anonymous visitors to the login page.
        scope = admin_scope(user=user)
        if scope.unrestricted:
            return None
        if scope.withheld:
            return refusal(request, status=403)
        if request_allowed(request):
            return None
        return refusal(request)
