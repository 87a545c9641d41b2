"""The language of the current request, as one of the site's codes."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def request_language() -> str:
    """The active language as a code of ``settings.LANGUAGES`` ("vi" or "en").

    LocaleMiddleware activates the visitor's language for each request; outside
    one (tasks, commands) Django's default is active. A regional variant
    ("en-gb") maps to its site code, and no or an unknown language falls back
    to ``settings.LANGUAGE_CODE`` (Vietnamese), the language of the main tree.
    """
    active = (translation.get_language() or "").lower()
    for code, _name in settings.LANGUAGES:
        if active == code or active.startswith(f"{code}-"):
            return code
    return settings.LANGUAGE_CODE
