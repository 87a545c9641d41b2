"""Point the default Wagtail Site at SITE_BASE_URL (run at every deploy)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages.site_address import SiteAddressInvalid, site_address_sync


class Command(BaseCommand):
    help = "Set the default Wagtail Site's hostname and port from SITE_BASE_URL."

    def handle(self, *args, **options):
        try:
            changed = site_address_sync(base_url=settings.SITE_BASE_URL)
        except SiteAddressInvalid as error:
            raise CommandError(str(error)) from error
        verb = "now" if changed else "already"
        self.stdout.write(f"The default Site is {verb} {settings.SITE_BASE_URL}.")
