"""Sitemap of every live public page in every language, with hreflang alternates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site


class AllLocalesSitemap(Sitemap):
    """Wagtail's own sitemap walks only the default-language tree; this lists all."""

    def __init__(self, request):
        self.request = request
        self.site = Site.find_for_request(request)

    def items(self):
        if self.site is None:
            return []
        root = self.site.root_page
        keys = root.get_descendants(inclusive=True).values("translation_key")
        roots_paths = Page.objects.filter(
            translation_key=root.translation_key
        ).values_list("path", flat=True)
        pages = (
            Page.objects.live()
            .public()
            .filter(translation_key__in=keys)
            .select_related("locale")
            .order_by("path")
        )
        return [p for p in pages if any(p.path.startswith(rp) for rp in roots_paths)]

    def location(self, item: Page) -> str:
        return item.get_url(request=self.request)

    def lastmod(self, item: Page):
        return item.last_published_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        by_key: dict = {}
        for entry in urls:
            by_key.setdefault(entry["item"].translation_key, []).append(entry)
        for entry in urls:
            entry["alternates"] = [
                {
                    "lang_code": other["item"].locale.language_code,
                    "location": other["location"],
                }
                for other in by_key[entry["item"].translation_key]
            ]
            # Search engines send a visitor of no listed language to the default one.
            default = next(
                (
                    other
                    for other in by_key[entry["item"].translation_key]
                    if other["item"].locale.language_code == settings.LANGUAGE_CODE
                ),
                None,
            )
            if default is not None:
                entry["alternates"].append(
                    {"lang_code": "x-default", "location": default["location"]}
                )
        return urls
