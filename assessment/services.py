"""Writes of the assessment app: frameworks, the wizard's steps, submit, delete."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Membership, Organisation
from organisations.selectors import user_is_member, user_is_owner
from organisations.services import membership_add, organisation_onboard

from . import scoring
from .framework import Framework, FrameworkError, parse
from .models import (
    Answer,
    Assessment,
    CriterionTotal,
    FrameworkVersion,
    PillarResult,
    PillarTotal,
    PillarYearTotal,
    ProvinceFiguresStamp,
)
from .selectors import framework_for, framework_published_latest


class AssessmentError(Exception):
    """Base of the app's errors; ``message`` is translated for the user."""

    status_code = 400

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class AssessmentFrozen(AssessmentError):
    status_code = 409


class AnswerInvalid(AssessmentError):
    pass


class NoPublishedFramework(AssessmentError):
    status_code = 503


class NotAllowed(AssessmentError):
    status_code = 404


@dataclass(frozen=True)
class AnswerData:
    """One answer as the wizard posts it."""

    criterion_code: str
    option: int | None = None
    share: float | None = None
    not_applicable: bool = False
    note: str = ""


@dataclass(frozen=True)
class Conflict:
    criterion_code: str
    theirs: Answer


class StaleAnswers(AssessmentError):
    """Another member saved some of these answers after this form was opened."""

    status_code = 409

    def __init__(self, message: str, conflicts: list[Conflict], revision: int):
        super().__init__(message)
        self.conflicts = conflicts
        self.revision = revision


# Notes are plain text; markup is refused rather than silently stripped.
_HTML_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&#?\w+;")


# --- Frameworks -----------------------------------------------------------------


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


@transaction.atomic
def framework_version_draft_from(
    *, version: FrameworkVersion, new_version: str
) -> FrameworkVersion:
    """Start a new draft as a copy of ``version`` under a new version number."""
    definition = dict(version.definition)
    definition["version"] = new_version
    try:
        with transaction.atomic():
            return FrameworkVersion.objects.create(
                code=version.code, version=new_version, definition=definition
            )
    except IntegrityError as error:
        raise AssessmentError(
            _("Version %(version)s already exists.") % {"version": new_version}
        ) from error


# --- Organisations ------------------------------------------------------------------


@transaction.atomic
def assessment_organisation_create(*, user, organisation: Organisation) -> Organisation:
    """Save a new organisation from the wizard, onboard it, make ``user`` its owner."""
    organisation.full_clean()
    organisation.save()
    organisation_onboard(organisation=organisation)
    membership_add(organisation=organisation, user=user, role=Membership.Role.OWNER)
    return organisation


# --- Assessments --------------------------------------------------------------------


def _validate_answer(framework: Framework, data: AnswerData) -> scoring.AnswerInput:
    criterion = framework.criterion(data.criterion_code)
    if criterion is None:
        raise AnswerInvalid(
            _(
                "The question %(code)s is not part of this assessment's framework "
                "version; reload the page."
            )
            % {"code": data.criterion_code}
        )
    if data.note and _HTML_RE.search(data.note):
        raise AnswerInvalid(
            _(
                "Notes are plain text: please remove the HTML from your note on %(code)s."
            )
            % {"code": data.criterion_code}
        )
    if len(data.note) > 1000:
        raise AnswerInvalid(_("A note can be at most 1000 characters long."))
    if data.not_applicable and not criterion.allow_not_applicable:
        raise AnswerInvalid(
            _("'Not applicable' is not allowed for %(code)s.")
            % {"code": data.criterion_code}
        )
    if criterion.kind == "ladder":
        if data.share is not None:
            raise AnswerInvalid(
                _("%(code)s is answered by choosing an option.")
                % {"code": data.criterion_code}
            )
        if data.option is not None and not 0 <= data.option < len(criterion.options):
            raise AnswerInvalid(
                _("The chosen option does not exist for %(code)s.")
                % {"code": data.criterion_code}
            )
    else:
        if data.option is not None:
            raise AnswerInvalid(
                _("%(code)s is answered with a percentage.")
                % {"code": data.criterion_code}
            )
        if data.share is not None and not 0 <= data.share <= 100:
            raise AnswerInvalid(_("A percentage must be between 0 and 100."))
    return scoring.AnswerInput(
        option=None if data.not_applicable else data.option,
        share=None if data.not_applicable else data.share,
        not_applicable=data.not_applicable,
    )


def _is_blank(data: AnswerData) -> bool:
    return data.option is None and data.share is None and not data.not_applicable


def _same(answer: Answer, data: AnswerData) -> bool:
    return (
        answer.option == data.option
        and answer.share == data.share
        and answer.not_applicable == data.not_applicable
        and answer.note == data.note
    )


def _lock_draft(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.DRAFT:
        raise AssessmentFrozen(
            _(
                "This assessment has been submitted and can no longer be changed. "
                "Start a new one to update your answers."
            )
        )
    return locked


@transaction.atomic
def assessment_start(*, organisation: Organisation, user) -> Assessment:
    """Return the organisation's draft, or start one on the published framework.

    A new draft is pre-filled from the organisation's last submitted
    assessment, keeping only answers that still fit the current framework.
    """
    if not user_is_member(user=user, organisation=organisation):
        raise NotAllowed(_("You are not a member of this organisation."))
    # Lock the organisation row so two clicks cannot start two drafts.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    draft = organisation.assessments.filter(status=Assessment.Status.DRAFT).first()
    if draft is not None:
        return draft
    version = framework_published_latest()
    if version is None:
        raise NoPublishedFramework(
            _("The assessment is not open yet: no framework has been published.")
        )
    assessment = Assessment.objects.create(
        organisation=organisation, framework=version, created_by=user
    )
    last = (
        organisation.assessments.filter(status=Assessment.Status.SUBMITTED)
        .order_by("-submitted_at")
        .first()
    )
    if last is not None:
        framework = framework_for(version)
        copies = []
        for old in last.answers.all():
            data = AnswerData(
                old.criterion_code, old.option, old.share, old.not_applicable, old.note
            )
            if _is_blank(data) and not data.note:
                continue
            try:
                _validate_answer(framework, data)
            except AnswerInvalid:
                continue  # The question changed or left the framework.
            copies.append(
                Answer(
                    assessment=assessment,
                    criterion_code=old.criterion_code,
                    option=old.option,
                    share=old.share,
                    not_applicable=old.not_applicable,
                    note=old.note,
                    updated_by=user,
                )
            )
        Answer.objects.bulk_create(copies)
    return assessment


@transaction.atomic
def assessment_answers_save(
    *,
    assessment: Assessment,
    user,
    answers: list[AnswerData],
    revision: int,
    force: bool = False,
) -> Assessment:
    """Save one step's answers, all or nothing.

    ``revision`` is the assessment revision the form was built from. If
    another member has since changed one of these answers to something else,
    ``StaleAnswers`` is raised with both versions and nothing is written, so no
    answer is silently lost; ``force`` (after the user has seen them) overwrites.
    Raises ``AssessmentFrozen`` for a submitted assessment and ``AnswerInvalid``
    for an answer that does not fit its question.
    """
    assessment = _lock_draft(assessment)
    if not user_is_member(user=user, organisation=assessment.organisation):
        raise NotAllowed(_("You are not a member of this organisation."))
    framework = framework_for(assessment.framework)
    for data in answers:
        _validate_answer(framework, data)
    existing = {
        a.criterion_code: a
        for a in assessment.answers.filter(
            criterion_code__in=[d.criterion_code for d in answers]
        )
    }
    conflicts = [
        Conflict(d.criterion_code, existing[d.criterion_code])
        for d in answers
        if d.criterion_code in existing
        and existing[d.criterion_code].revision > revision
        and not _same(existing[d.criterion_code], d)
    ]
    if conflicts and not force:
        raise StaleAnswers(
            _(
                "Another member changed some of these answers while you were editing. "
                "Your entries are still in the form; compare them with the saved "
                "answers shown and save again to keep yours."
            ),
            conflicts,
            assessment.revision,
        )
    assessment.revision += 1
    assessment.save(update_fields=["revision", "updated_at"])
    for data in answers:
        current = existing.get(data.criterion_code)
        if _is_blank(data) and not data.note:
            if current is not None:
                current.delete()
            continue
        if current is not None and _same(current, data):
            continue
        Answer.objects.update_or_create(
            assessment=assessment,
            criterion_code=data.criterion_code,
            defaults={
                "option": None if data.not_applicable else data.option,
                "share": None if data.not_applicable else data.share,
                "not_applicable": data.not_applicable,
                "note": data.note,
                "revision": assessment.revision,
                "updated_by": user,
            },
        )
    return assessment


def answers_as_inputs(assessment: Assessment) -> dict[str, scoring.AnswerInput]:
    return {
        a.criterion_code: scoring.AnswerInput(a.option, a.share, a.not_applicable)
        for a in assessment.answers.all()
    }


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    """Score and freeze the draft, store its results and snapshot the organisation.

    Raises ``AssessmentFrozen`` when it was already submitted.
    """
    # The organisation row first, then the draft: the same order as
    # assessment_delete, so "previous latest" below cannot change under us
    # and the two never deadlock.
    organisation = Organisation.objects.select_for_update().get(
        pk=assessment.organisation_id
    )
    assessment = _lock_draft(assessment)
    if not user_is_member(user=user, organisation=organisation):
        raise NotAllowed(_("You are not a member of this organisation."))
    framework = framework_for(assessment.framework).for_sector(organisation.sector)
    try:
        result = scoring.score(framework, answers_as_inputs(assessment))
    except scoring.AnswerError as error:
        raise AnswerInvalid(str(error)) from error
    criterion_scores = dict(result.criteria)
    answers = list(assessment.answers.all())
    for answer in answers:
        answer.score = criterion_scores.get(answer.criterion_code)
    Answer.objects.bulk_update(answers, ["score"])
    # Unanswered questions count as 0 in province statistics too.
    answered = {a.criterion_code for a in answers}
    Answer.objects.bulk_create(
        Answer(assessment=assessment, criterion_code=code, score=value)
        for code, value in result.criteria
        if code not in answered
    )
    PillarResult.objects.bulk_create(
        PillarResult(
            assessment=assessment, pillar_code=p.code, score=p.score, level=p.level
        )
        for p in result.pillars
    )
    previous = organisation.assessments.filter(is_latest=True).first()
    if previous is not None:
        _criterion_totals_apply(previous, sign=-1)
        organisation.assessments.filter(is_latest=True).update(is_latest=False)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_quarter = quarter_of(assessment.submitted_at)
    assessment.overall_score = result.overall
    assessment.level = result.level
    assessment.sector = organisation.sector
    assessment.size_class = organisation.size_class
    assessment.kind = organisation.kind
    assessment.commune_id = organisation.commune_id
    assessment.is_latest = True
    assessment.save()
    _criterion_totals_apply(assessment, sign=1)
    province_figures_changed()
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment, user) -> None:
    """Delete an assessment; only an owner of its organisation may."""
    organisation = assessment.organisation
    if not user_is_owner(user=user, organisation=organisation):
        raise NotAllowed(_("Only an owner of the organisation can delete assessments."))
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    # Re-read under the lock: a submit may have made another one the latest.
    assessment = Assessment.objects.filter(pk=assessment.pk).first()
    if assessment is None:
        return
    was_latest = assessment.is_latest
    counted = assessment.status == Assessment.Status.SUBMITTED
    if was_latest:
        _criterion_totals_apply(assessment, sign=-1)
    assessment.delete()
    if was_latest:
        newest = (
            organisation.assessments.filter(status=Assessment.Status.SUBMITTED)
            .order_by("-submitted_at")
            .first()
        )
        if newest is not None:
            newest.is_latest = True
            newest.save(update_fields=["is_latest"])
            _criterion_totals_apply(newest, sign=1)
    if counted:  # a draft never shows in the province figures
        province_figures_changed()


# --- Province criterion totals ------------------------------------------------------


def _criterion_totals_apply(assessment: Assessment, *, sign: int) -> None:
    """Add (sign=1) or remove (sign=-1) one latest assessment's scores.

    Updates the criterion and pillar running totals inside the submit/delete
    transaction, with the organisation row locked, so one organisation is
    never counted twice.
    """
    key = {
        "framework_code": assessment.framework.code,
        "sector": assessment.sector,
        "size_class": assessment.size_class,
        "kind": assessment.kind,
    }
    criteria = assessment.answers.filter(score__isnull=False).values_list(
        "criterion_code", "score"
    )
    pillars = assessment.pillar_results.filter(score__isnull=False).values_list(
        "pillar_code", "score"
    )
    quarter = assessment.submitted_quarter
    year = quarter.year if quarter else 0
    commune = assessment.commune_id or 0
    for model, field, rows, group in (
        (CriterionTotal, "criterion_code", criteria, {**key, "year": year}),
        # Pillar tables are also shown by commune; criteria are not.
        (PillarTotal, "pillar_code", pillars, {**key, "commune_id": commune}),
        (
            PillarYearTotal,
            "pillar_code",
            pillars,
            {**key, "commune_id": commune, "year": year},
        ),
    ):
        for code, value in rows:
            _total_add(model, {field: code, **group}, sign, value)


def _total_add(model, key: dict, sign: int, value: float) -> None:
    updated = model.objects.filter(**key).update(
        organisations=F("organisations") + sign,
        score_sum=F("score_sum") + sign * value,
    )
    if updated or sign < 0:
        return
    try:
        with transaction.atomic():
            model.objects.create(organisations=1, score_sum=value, **key)
    except IntegrityError:
        # Another organisation of the same group created the row meanwhile.
        model.objects.filter(**key).update(
            organisations=F("organisations") + 1, score_sum=F("score_sum") + value
        )


@transaction.atomic
def criterion_totals_rebuild() -> int:
    """Recompute the criterion and pillar totals from the latest assessments.

    Three INSERT ... SELECT statements in the database (after bulk imports or to
    repair drift); returns the number of rows written.
    """
    for model in (CriterionTotal, PillarTotal, PillarYearTotal):
        model.objects.all().delete()
    assessment = Assessment._meta.db_table
    version = FrameworkVersion._meta.db_table
    written = 0
    year, year_params = connection.ops.date_extract_sql(
        "year", "a.submitted_quarter", ()
    )
    year = f"COALESCE({year}, 0)"
    commune = "COALESCE(a.commune_id, 0)"
    with connection.cursor() as cursor:
        # (totals, source, code, extra group columns and their expressions, params)
        for total, source, code, extra, params in (
            (CriterionTotal, Answer, "criterion_code", {"year": year}, year_params),
            (PillarTotal, PillarResult, "pillar_code", {"commune_id": commune}, ()),
            (
                PillarYearTotal,
                PillarResult,
                "pillar_code",
                {"commune_id": commune, "year": year},
                year_params,
            ),
        ):
            columns = ", ".join(extra)
            values = ", ".join(extra.values())
            cursor.execute(
                f"""
                INSERT INTO {total._meta.db_table} (framework_code, {code}, sector,
                    size_class, kind, {columns}, organisations, score_sum)
                SELECT v.code, s.{code}, a.sector, a.size_class, a.kind, {values},
                       COUNT(*), SUM(s.score)
                FROM {source._meta.db_table} s
                JOIN {assessment} a ON a.id = s.assessment_id
                JOIN {version} v ON v.id = a.framework_id
                WHERE a.is_latest AND s.score IS NOT NULL
                GROUP BY v.code, s.{code}, a.sector, a.size_class, a.kind, {values}
                """,  # noqa: S608 - names come from model metadata, no user input
                # The year's parameters appear in SELECT and in GROUP BY.
                tuple(params) * 2,
            )
            written += cursor.rowcount
    province_figures_changed()
    return written


def province_figures_changed() -> None:
    """Give the province figures a new stamp, inside the caller's transaction.

    Submit and delete call it, so the row lock also orders concurrent
    changes: a reader that sees a token sees every change committed before it.
    """
    if not ProvinceFiguresStamp.objects.update(
        token=uuid.uuid4(), changed_at=timezone.now()
    ):
        ProvinceFiguresStamp.objects.create()


def quarter_of(moment: datetime) -> date:
    """First day of the local quarter of ``moment`` (what TruncQuarter gives)."""
    local = timezone.localtime(moment)
    return date(local.year, (local.month - 1) // 3 * 3 + 1, 1)


__all__ = [
    "AnswerData",
    "AnswerInvalid",
    "AssessmentError",
    "AssessmentFrozen",
    "FrameworkError",
    "NoPublishedFramework",
    "NotAllowed",
    "StaleAnswers",
]
