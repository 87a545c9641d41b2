"""Search-engine metadata of the home page: Open Graph and WebSite/Organization JSON-LD.

Pure presentation of what the caller read; queries nothing itself.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation


def home_ld(
    *, site_name: str, home_url: str, language: str, settings: Any | None
) -> list[dict]:
    """The province programme as an Organization, the site as a searchable WebSite."""
    origin = home_url.split("/", 3)
    base = "/".join(origin[:3])
    with translation.override(language):
        search_url = f"{base}{reverse('search')}?q={{search_term_string}}"
    organization: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": site_name,
        "url": home_url,
    }
    if settings is not None:
        if settings.contact_email:
            organization["email"] = settings.contact_email
        if settings.contact_phone:
            organization["telephone"] = settings.contact_phone
        if settings.address:
            organization["address"] = settings.address
        same_as = [u for u in (settings.facebook_url, settings.zalo_url) if u]
        if same_as:
            organization["sameAs"] = same_as
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site_name,
        "url": home_url,
        "inLanguage": language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": search_url,
            "query-input": "required name=search_term_string",
        },
    }
    return [website, organization]
