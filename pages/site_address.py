"""The address the site is served at, in one place: ``SITE_BASE_URL``.

Absolute URLs come from two sources: Wagtail's ``Site`` (``fullpageurl``, the
canonical link, Open Graph, sitemaps) and ``SITE_BASE_URL`` (emails, QR
labels, the admin's links). When the two disagree a printed QR label or an
emailed link points at a host nobody serves, so the default ``Site`` is set
from the setting (``manage.py site_sync``, and ``seed_demo`` for ``make run``)
and a system check reports any disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from wagtail.models import Site


@dataclass(frozen=True)
class SiteAddress:
    hostname: str
    port: int

    @property
    def root_url(self) -> str:
        # Wagtail's own rule (Site.root_url): 443 means https, 80 plain http.
        if self.port == 443:
            return f"https://{self.hostname}"
        if self.port == 80:
            return f"http://{self.hostname}"
        return f"http://{self.hostname}:{self.port}"


class SiteAddressInvalid(ValueError):
    pass


def site_address_from_url(base_url: str) -> SiteAddress:
    """``http://127.0.0.1:8000`` → hostname ``127.0.0.1``, port 8000."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SiteAddressInvalid(
            f"SITE_BASE_URL is not an http(s) address: {base_url!r}"
        )
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise SiteAddressInvalid(
            f"SITE_BASE_URL must be a bare origin, without a path: {base_url!r}"
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.scheme == "https" and port != 443:
        # Wagtail writes any port but 443 as http://, so the Site could not say it.
        raise SiteAddressInvalid(
            f"an https SITE_BASE_URL must use port 443: {base_url!r}"
        )
    return SiteAddress(hostname=parts.hostname, port=port)


def site_address_mismatch(*, base_url: str) -> str | None:
    """Why the default Site disagrees with ``base_url``, or None when it agrees."""
    expected = site_address_from_url(base_url)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    if (site.hostname, site.port) != (expected.hostname, expected.port):
        return (
            f"the default Wagtail Site is {site.root_url} but SITE_BASE_URL is "
            f"{expected.root_url}; run `manage.py site_sync`"
        )
    return None


def site_address_sync(*, base_url: str) -> bool:
    """Point the default Site at ``base_url``; True when it changed."""
    expected = site_address_from_url(base_url)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (expected.hostname, expected.port):
        return False
    site.hostname, site.port = expected.hostname, expected.port
    site.save(update_fields=["hostname", "port"])
    return True
