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
    """URL of the current page in each language; keeps the visitor where they
    are. The switcher and the hreflang links both need them: worked out once
    per request."""
    request = context["request"]
    page = context.get("page")
    key = (page.pk if isinstance(page, Page) else None, get_language())
    memo = getattr(request, "_language_urls", None)
    if memo is not None and memo[0] == key:
        return dict(memo[1])
    urls = _work_out_language_urls(request, page)
    request._language_urls = (key, urls)
    return dict(urls)


def _work_out_language_urls(request, page) -> dict[str, str]:
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


def _localized_root(request) -> Page | None:
    """The site's home page in the request's language, looked up once per
    request (the menu and the home link both need it)."""
    memo = getattr(request, "_localized_root", None)
    language = get_language()
    if memo is None or memo[0] != language:
        site = Site.find_for_request(request)
        memo = (language, site.root_page.localized if site else None)
        request._localized_root = memo
    return memo[1]


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[Page]:
    root = _localized_root(context["request"])
    return [] if root is None else menu_pages(root=root)


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    request = context["request"]
    root = _localized_root(request)
    if root is None:
        return "/"
    return root.get_url(request=request) or "/"


@register.simple_tag(takes_context=True)
def visitor_header(context) -> VisitorState | None:
    """The visitor's header state, or None on a page cached for everyone
    (its header shows plain cart and account links that site-me.js fills)."""
    request = context.get("request")
    if request is None or is_public_render(request):
        return None
    return visitor_state(request)
