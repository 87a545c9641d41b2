"""The bilingual home page, standard pages and site settings (data: demo/data/site.yaml).

Also used by the tests' ``site_pages`` fixture, which wants the site without
the demo organisations.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from wagtail.models import Locale, Page, Site

from pages.models import HomePage, SiteSettings, StandardPage
from pages.site_address import site_address_sync

from .data import load


def _paragraphs(texts: list[str]) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{t}</p>"} for t in texts])


def _page_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A page's data-file fields as model values (``body``: paragraphs -> StreamField JSON)."""
    values = dict(fields)
    if "body" in values:
        values["body"] = _paragraphs(values["body"])
    return values


def _set_fields(page: Page, fields: dict) -> bool:
    changed = False
    for name, value in fields.items():
        if name == "body":
            current = [(b["type"], b["value"]) for b in page.body.raw_data]
            if current == [(b["type"], b["value"]) for b in json.loads(value)]:
                continue
            page.body = value
            changed = True
        elif getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return changed


def _publish(page: Page) -> None:
    page.save_revision().publish()


def seed_site() -> HomePage:
    """Create or update the bilingual home page, standard pages and settings."""
    data = load("site")
    home_vi, home_en_fields = data["home"]["vi"], data["home"]["en"]
    vi = Locale.objects.get(language_code="vi")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()

    home = HomePage.objects.filter(locale=vi).first()
    if home is None:
        # Wagtail's migration leaves a "Welcome" page at /home/; ours replaces it.
        for welcome in root.get_children().exclude(
            content_type__model="homepage", content_type__app_label="pages"
        ):
            welcome.delete()
        home = HomePage(slug="home", **home_vi)
        root.add_child(instance=home)
        _publish(home)
    elif _set_fields(home, home_vi):
        _publish(home)

    site_name = data["site_name"]
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=site_name,
        )
    elif site.root_page_id != home.pk or site.site_name != site_name:
        site.root_page = home
        site.site_name = site_name
        site.save()
    site = Site.objects.get(is_default_site=True)
    # Links, canonical URLs and QR codes name the address `make run` serves at.
    site_address_sync(base_url=settings.SITE_BASE_URL)

    home_en = home.get_translation_or_none(en)
    if home_en is None:
        home_en = home.copy_for_translation(en)
        _set_fields(home_en, home_en_fields)
        _publish(home_en)
    elif _set_fields(home_en.specific, home_en_fields):
        _publish(home_en.specific)

    for spec in data["standard_pages"]:
        vi_fields, en_fields = _page_fields(spec["vi"]), _page_fields(spec["en"])
        page = StandardPage.objects.filter(locale=vi, slug=spec["slug"]).first()
        if page is None:
            page = StandardPage(
                slug=spec["slug"], show_in_menus=spec["show_in_menus"], **vi_fields
            )
            home.add_child(instance=page)
            _publish(page)
        elif _set_fields(page, vi_fields):
            _publish(page)
        page_en = page.get_translation_or_none(en)
        if page_en is None:
            page_en = page.copy_for_translation(en)
            _set_fields(page_en, en_fields)
            _publish(page_en)
        elif _set_fields(page_en.specific, en_fields):
            _publish(page_en.specific)

    wanted = data["settings"]
    settings_obj = SiteSettings.for_site(site)
    if any(getattr(settings_obj, k) != v for k, v in wanted.items()):
        for key, value in wanted.items():
            setattr(settings_obj, key, value)
        settings_obj.save()
    return home
