"""An application to join: who claims which organisation, with what evidence.

The application copies the organisation's fields rather than creating an
``Organisation`` at once: an unchecked claim must count nowhere, and two
people may claim the same tax code. Approval (``joining.services``) turns it
into a verified organisation.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from organisations.models import (
    Organisation,
    OrganisationDetails,
)


class _NoURLStorage(FileSystemStorage):
    def url(self, name):
        # Served only by the staff-only evidence view, never by a URL.
        raise ValueError("Private files have no URL.")


class PrivateStorage(LazyObject):
    """Registration documents: outside MEDIA_ROOT and without a URL.

    Lazy so that tests overriding PRIVATE_MEDIA_ROOT (and the migration
    autodetector, which must not see a path) get the setting at use time.
    """

    def _setup(self) -> None:
        self._wrapped = _NoURLStorage(location=settings.PRIVATE_MEDIA_ROOT)


private_storage = PrivateStorage()


def _private_storage():
    return private_storage


def _evidence_path(instance: OrganisationApplication, filename: str) -> str:
    # A random name: the applicant's file name may carry personal data, and
    # guessing another application's file must not be possible.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"applications/{uuid.uuid4().hex}.{extension}"


class ApplicationQuerySet(models.QuerySet["OrganisationApplication"]):
    def open(self) -> ApplicationQuerySet:
        """Applications staff still have to decide."""
        return self.filter(status__in=OrganisationApplication.OPEN_STATUSES)


class OrganisationApplication(OrganisationDetails):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        # The tax code was already held (a verified organisation or another
        # open application): the applicant disputes that claim.
        DISPUTED = "disputed", _("Disputed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class DisputeResolution(models.TextChoices):
        NONE = "", _("No dispute")
        HOLDER_UPHELD = "holder_upheld", _("Dispute resolved: the holder keeps it")
        TRANSFERRED = "transferred", _("Dispute resolved: transferred to the claimant")

    OPEN_STATUSES = (Status.SUBMITTED, Status.DISPUTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="organisation_applications",
    )
    # The applicant's language: the decision email is written in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.SUBMITTED,
    )
    contact_name = models.CharField(_("contact person"), max_length=120)
    phone = models.CharField(_("phone"), max_length=20)
    evidence = models.FileField(
        _("registration document"),
        storage=_private_storage,
        upload_to=_evidence_path,
        max_length=200,
    )
    dispute_statement = models.TextField(
        _("why the tax code is yours"), max_length=2000, blank=True
    )
    dispute_resolution = models.CharField(
        _("dispute resolution"),
        max_length=16,
        choices=DisputeResolution.choices,
        blank=True,
        default=DisputeResolution.NONE,
    )
    decision_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation application")
        verbose_name_plural = _("organisation applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.legal_name} [{self.tax_code}]"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def evidence_is_pdf(self) -> bool:
        return self.evidence.name.lower().endswith(".pdf")
