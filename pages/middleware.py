"""Refuse hostile query strings before any view or search backend sees them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

# No form or filter of the site needs a longer value; SQLite refuses LIKE
# patterns over 50,000 characters and PostgreSQL refuses NUL in text.
MAX_QUERY_VALUE_LENGTH = 2000


class QueryLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for _key, values in request.GET.lists():
            for value in values:
                if len(value) > MAX_QUERY_VALUE_LENGTH or "\x00" in value:
                    return HttpResponseBadRequest(render_to_string("400.html", {}))
        return self.get_response(request)
