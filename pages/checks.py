"""System checks of the site pages."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from pages.site_address import SiteAddressInvalid, site_address_mismatch


@checks.register(checks.Tags.database)
def site_matches_base_url(app_configs=None, databases=None, **kwargs):
    """The default Site and SITE_BASE_URL name the same address.

    A database check (``check --database default``, and ``migrate``): an error
    in production, a warning in development, where ``make run`` with another
    PORT migrates before ``seed_demo`` moves the Site along.
    """
    if not databases:
        return []
    level = checks.Warning if settings.DEBUG else checks.Error
    try:
        problem = site_address_mismatch(base_url=settings.SITE_BASE_URL)
    except SiteAddressInvalid as error:
        return [checks.Error(str(error), id="pages.E002")]
    except DatabaseError:
        # Before the first migration there is no Site table to compare.
        return []
    if problem is None:
        return []
    return [level(problem, id="pages.E001")]
