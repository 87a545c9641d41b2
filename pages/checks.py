"""System checks of the site pages."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from pages.site_address import SiteAddressInvalid, site_address_mismatch


@checks.register(checks.Tags.database, deploy=True)
def site_matches_base_url(app_configs=None, databases=None, **kwargs):
    """The default Site and SITE_BASE_URL name the same address.

    A deploy check that reads the database (``check --deploy --database
    default``), so ``migrate``, which runs the database checks too, never
    fails on it: the release runs ``site_sync`` after migrating.
    """
    if not databases:
        return []
    try:
        problem = site_address_mismatch(base_url=settings.SITE_BASE_URL)
    except SiteAddressInvalid as error:
        return [checks.Error(str(error), id="pages.E002")]
    except DatabaseError:
        # Before the first migration there is no Site table to compare.
        return []
    if problem is None:
        return []
    return [checks.Error(problem, id="pages.E001")]
