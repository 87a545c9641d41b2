"""Template helpers for the site chrome: language switcher, menu, hreflang."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Page, Site

from core.page_cache import is_public_render
from pages.selectors import menu_pages
from pages.visitor import VisitorState, visitor_state

register = template.Library()


def _language_urls(context) -> dict[str, str]:
    """URL of the current page in each language; keeps the visitor where they are."""
    request = context["request"]
    page = context.get("page")
    urls: dict[str, str] = {}
    if isinstance(page, Page) and page.pk:
        for translation in (
            page.get_translations(inclusive=True).live().select_related("locale")
        ):
            url = translation.get_url(request=request)
            if url:
                urls[translation.locale.language_code] = url
    path = request.get_full_path()
    for code, _name in settings.LANGUAGES:
        urls.setdefault(code, translate_url(path, code))
    return urls


def _with_query(url: str, query: str) -> str:
    # A page's translation URL has no query; the visitor's filters, search and
    # page number mean the same in both languages (slugs and numbers), so a
    # switch keeps them. hreflang links stay query-free (one per page).
    if not query or "?" in url:
        return url
    return f"{url}?{query}"


@register.inclusion_tag("components/language_switcher.html", takes_context=True)
def language_switcher(context):
    query = context["request"].META.get("QUERY_STRING", "")
    urls = {
        code: _with_query(url, query) for code, url in _language_urls(context).items()
    }
    current = get_language()
    return {
        "languages": [
            {
                "code": code,
                "name": name,
                "url": urls[code],
                "is_current": code == current,
            }
            for code, name in settings.LANGUAGES
        ]
    }


@register.inclusion_tag("components/hreflang.html", takes_context=True)
def hreflang_links(context):
    request = context["request"]
    urls = _language_urls(context)
    return {
        "alternates": [
            {"code": code, "url": request.build_absolute_uri(url)}
            for code, url in urls.items()
        ],
        "default_url": request.build_absolute_uri(
            urls.get(settings.LANGUAGE_CODE, "/")
        ),
    }


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[Page]:
    request = context["request"]
    site = Site.find_for_request(request)
    if site is None:
        return []
    return menu_pages(root=site.root_page.localized)


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    site = Site.find_for_request(context["request"])
    if site is None:
        return "/"
    return site.root_page.localized.get_url(request=context["request"]) or "/"


@register.simple_tag(takes_context=True)
def visitor_header(context) -> VisitorState | None:
    """The visitor's header state, or None on a page cached for everyone
    (its header shows plain cart and account links that site-me.js fills)."""
    request = context.get("request")
    if request is None or is_public_render(request):
        return None
    return visitor_state(request)
