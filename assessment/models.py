"""Frameworks as stored versions, assessments, answers and stored results."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, Sector, SizeClassChoices

from .scoring import COUNTED_MIN_SHARE


class FrameworkVersion(models.Model):
    """One version of a framework; published versions are never edited again."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("framework code"), max_length=60)
    version = models.CharField(_("version"), max_length=30)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    definition = models.JSONField(
        _("definition"),
        help_text=_(
            "Pillars, sub-indices, criteria, level bands and recommendations in "
            "Vietnamese and English (the same format as the files in "
            "assessment/frameworks/)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("assessment framework version")
        verbose_name_plural = _("assessment framework versions")
        ordering = ["code", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="framework_unique_code_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version} ({self.get_status_display()})"


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def counted(self) -> AssessmentQuerySet:
        """Submissions that count in figures other people see.

        The SQL form of ``scoring.counts_in_figures``: the organisation is
        verified and at least half of the framework's questions were answered.
        Peers, the province dashboard and open data read from here or from
        the running totals, which hold exactly the latest counted submission
        of each organisation (``in_totals``).
        """
        return self.filter(
            status=Assessment.Status.SUBMITTED,
            organisation__verified_at__isnull=False,
            answered_share__gte=COUNTED_MIN_SHARE,
        )


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # PROTECT: an organisation's assessments go through assessment_delete
    # (its owner's action), which keeps the province running totals right; a
    # cascade from deleting the organisation would leave them counted.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessments"
    )
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic lock: every saved step increments it; a step posted with an
    # older number was built on answers someone else has since changed.
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # First day of the local (Asia/Ho_Chi_Minh) quarter of ``submitted_at``,
    # stored so the province trend groups on an indexed column instead of
    # converting every row's timestamp to local time in the query.
    submitted_quarter = models.DateField(null=True, blank=True, editable=False)
    # Snapshot of the organisation when submitted, so peers and province
    # statistics stay as they were even if the organisation grows later.
    sector = models.CharField(max_length=30, choices=Sector.choices, blank=True)
    size_class = models.CharField(
        max_length=10, choices=SizeClassChoices.choices, blank=True
    )
    kind = models.CharField(
        max_length=20, choices=Organisation.Kind.choices, blank=True
    )
    commune = models.ForeignKey(
        "organisations.Commune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overall_score = models.FloatField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    # The newest submitted assessment of its organisation (province figures
    # count each organisation once).
    is_latest = models.BooleanField(default=False)
    # Share 0-1 of the framework's questions answered, computed at submit.
    answered_share = models.FloatField(null=True, blank=True, editable=False)
    # This submission is in the running totals: it is its organisation's
    # latest and it counts (``counted()``). Kept by submit, delete and
    # ``organisation_totals_sync`` (verification changes), in their
    # transactions, so the dashboard's figures read one indexed column.
    in_totals = models.BooleanField(default=False, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status", "is_latest", "sector", "size_class"],
                name="assessment_peer_idx",
            ),
            models.Index(
                fields=["status", "submitted_at"], name="assessment_trend_idx"
            ),
            models.Index(fields=["organisation", "status"], name="assessment_org_idx"),
            # Covers the province counts, level distribution and trend by
            # quarter with any filter (index-only scans, the trend already in
            # quarter order) instead of reading 100,000 rows. Every column is a
            # key column: SQLite has no INCLUDE but uses such covering indexes.
            models.Index(
                fields=[
                    "status",
                    "submitted_quarter",
                    "organisation",
                    "in_totals",
                    "level",
                    "overall_score",
                    "sector",
                    "size_class",
                    "kind",
                    "commune",
                ],
                name="assessment_figures_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.created_at:%Y-%m-%d} ({self.status})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers"
    )
    criterion_code = models.CharField(max_length=40)
    option = models.PositiveSmallIntegerField(null=True, blank=True)
    share = models.FloatField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=1000)
    # Score 0-100 of this criterion, filled in when the assessment is submitted
    # (None: not applicable), so province-wide averages are one SQL query.
    score = models.FloatField(null=True, blank=True)
    # The assessment revision at which this answer was last written: a step
    # saved from an older revision conflicts only if one of its answers is newer.
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion_code"],
                name="answer_unique_assessment_criterion",
            ),
            models.CheckConstraint(
                condition=models.Q(share__isnull=True)
                | models.Q(share__gte=0, share__lte=100),
                name="answer_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_code}"


class PillarResult(models.Model):
    """Stored per-pillar score of a submitted assessment, for SQL aggregates."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="pillar_results"
    )
    pillar_code = models.CharField(max_length=40)
    score = models.FloatField(null=True)
    level = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "pillar_code"],
                name="pillar_result_unique_assessment_pillar",
            )
        ]
        indexes = [models.Index(fields=["pillar_code"], name="pillar_result_code_idx")]

    def __str__(self) -> str:
        return f"{self.pillar_code}: {self.score}"


class GroupTotal(models.Model):
    """A running sum of the latest scores of one group of organisations."""

    framework_code = models.CharField(max_length=60)
    sector = models.CharField(max_length=30, blank=True)
    size_class = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    organisations = models.IntegerField(default=0)
    score_sum = models.FloatField(default=0.0)

    class Meta:
        abstract = True


class CriterionTotal(GroupTotal):
    """Running sum of the latest scores per criterion and organisation group.

    Province figures count each organisation once, with its latest assessment;
    keeping these sums up to date at submit/delete makes "weakest criteria"
    one small aggregate instead of a scan over every answer ever given.
    ``criterion_totals_rebuild`` recomputes the table from the answers.
    """

    criterion_code = models.CharField(max_length=40)
    # No commune: with ~100 communes the table held about as many rows per
    # criterion as there are organisations, so the unfiltered "weakest
    # criteria" scanned hundreds of thousands of rows. A commune filter reads
    # the answers of that commune's latest assessments instead (a few hundred).
    # The local year of the latest assessment's submission, so the dashboard's
    # year filter does not read a million answers either.
    year = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "framework_code",
                    "criterion_code",
                    "sector",
                    "size_class",
                    "kind",
                    "year",
                ],
                name="criterion_total_unique_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_code} ({self.organisations})"


class PillarTotal(GroupTotal):
    """Running sum of the latest pillar scores per organisation group (see
    ``CriterionTotal``): the province tables aggregate a few thousand rows."""

    pillar_code = models.CharField(max_length=40)
    # A plain id (0: unknown), not a foreign key: it is part of the unique key.
    commune_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "framework_code",
                    "pillar_code",
                    "sector",
                    "size_class",
                    "kind",
                    "commune_id",
                ],
                name="pillar_total_unique_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pillar_code} ({self.organisations})"


class PillarYearTotal(GroupTotal):
    """``PillarTotal`` split by the local year of submission, for the dashboard's
    year filter. A separate table: a year column in ``PillarTotal`` would make
    every unfiltered table scan each year's rows."""

    pillar_code = models.CharField(max_length=40)
    commune_id = models.BigIntegerField(default=0)
    year = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                # The year first: the filtered tables read one year's rows.
                fields=[
                    "year",
                    "framework_code",
                    "pillar_code",
                    "sector",
                    "size_class",
                    "kind",
                    "commune_id",
                ],
                name="pillar_year_total_unique_group",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pillar_code} {self.year} ({self.organisations})"


class ProvinceFiguresStamp(models.Model):
    """One row whose token changes in the same transaction as any change to the
    province figures (submit, delete, totals rebuild).

    Cached dashboard and open-data figures are keyed by this token, so a cache
    entry can never outlive the data it was computed from, on any app server.
    """

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.token)
