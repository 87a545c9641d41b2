"""Writes of framework versions: load and publish."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import AssessmentError
from ..framework import parse
from ..models import FrameworkVersion
from .totals import province_figures_changed


@transaction.atomic
def framework_version_save(
    *, data: Mapping, status: str = FrameworkVersion.Status.DRAFT
) -> FrameworkVersion:
    """Validate framework ``data`` and store it as a version (idempotent).

    Loading the same code and version again with identical data changes
    nothing. Raises ``FrameworkError`` for malformed data and ``AssessmentError``
    when a published version with that number already holds different data.
    """
    framework = parse(data)
    existing = FrameworkVersion.objects.filter(
        code=framework.code, version=framework.version
    ).first()
    if existing is not None:
        if existing.definition == data:
            if (
                status == FrameworkVersion.Status.PUBLISHED
                and existing.status == FrameworkVersion.Status.DRAFT
            ):
                return framework_version_publish(version=existing)
            return existing
        if existing.status != FrameworkVersion.Status.DRAFT:
            raise AssessmentError(
                _(
                    "Version %(version)s of %(code)s is already published with "
                    "different content; give the file a new version number."
                )
                % {"version": framework.version, "code": framework.code}
            )
        existing.definition = dict(data)
        existing.save(update_fields=["definition"])
        version = existing
    else:
        version = FrameworkVersion.objects.create(
            code=framework.code, version=framework.version, definition=dict(data)
        )
    if status == FrameworkVersion.Status.PUBLISHED:
        version = framework_version_publish(version=version)
    return version


@transaction.atomic
def framework_version_publish(*, version: FrameworkVersion) -> FrameworkVersion:
    """Publish a draft after validating it again; the previous one is retired.

    Assessments keep pointing at the version they were taken against, so
    retiring never changes an old result.
    """
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == FrameworkVersion.Status.PUBLISHED:
        return version
    if version.status != FrameworkVersion.Status.DRAFT:
        raise AssessmentError(_("Only a draft version can be published."))
    parse(version.definition)  # raises FrameworkError
    FrameworkVersion.objects.filter(
        code=version.code, status=FrameworkVersion.Status.PUBLISHED
    ).update(status=FrameworkVersion.Status.RETIRED)
    version.status = FrameworkVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    # The dashboard shows the published version's pillar and question titles.
    province_figures_changed()
    return version
