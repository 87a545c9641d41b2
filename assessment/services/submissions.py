"""An assessment's life: organisation from the wizard, start, submit, delete."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Membership, Organisation
from organisations.selectors import user_is_member, user_is_owner
from organisations.services import membership_add

from .. import scoring
from ..errors import AnswerInvalid, NoPublishedFramework, NotAllowed
from ..models import Answer, Assessment, PillarResult
from ..selectors import framework_for, framework_published_latest
from .answers import (
    AnswerData,
    answer_is_blank,
    answer_validate,
    answers_as_inputs,
    assessment_lock_draft,
)
from .totals import province_figures_changed, totals_enter, totals_leave

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def assessment_organisation_create(
    *, user: User, organisation: Organisation
) -> Organisation:
    """Save a new organisation from the wizard and make ``user`` its owner.

    It stays unverified and is not onboarded: it may take the assessment and
    see its own results, but gets no admin group, collection or uploads and
    counts in no figure others see until province staff verify it (anybody
    signed in can type a name and a tax code here).
    """
    organisation.verified_at = None
    organisation.verified_by = None
    organisation.full_clean()
    organisation.save()
    membership_add(organisation=organisation, user=user, role=Membership.Role.OWNER)
    return organisation


@transaction.atomic
def assessment_start(*, organisation: Organisation, user: User) -> Assessment:
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
        raise NoPublishedFramework
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
                criterion_code=old.criterion_code,
                option=old.option,
                share=old.share,
                not_applicable=old.not_applicable,
                note=old.note,
            )
            if answer_is_blank(data=data) and not data.note:
                continue
            try:
                answer_validate(framework=framework, data=data)
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
def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    """Score and freeze the draft, store its results and snapshot the organisation.

    Raises ``AssessmentFrozen`` when it was already submitted.
    """
    # The organisation row first, then the draft: the same order as
    # assessment_delete, so "previous latest" below cannot change under us
    # and the two never deadlock.
    organisation = Organisation.objects.select_for_update().get(
        pk=assessment.organisation_id
    )
    assessment = assessment_lock_draft(assessment=assessment)
    if not user_is_member(user=user, organisation=organisation):
        raise NotAllowed(_("You are not a member of this organisation."))
    framework = framework_for(assessment.framework).for_sector(organisation.sector)
    inputs = answers_as_inputs(assessment=assessment)
    try:
        result = scoring.score(framework, inputs)
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
        totals_leave(assessment=previous)
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
    assessment.answered_share = scoring.answered_share(framework, inputs)
    assessment.is_latest = True
    assessment.save()
    totals_enter(assessment=assessment, organisation=organisation)
    province_figures_changed()
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment, user: User) -> None:
    """Delete an assessment; only an owner of its organisation may."""
    organisation = assessment.organisation
    if not user_is_owner(user=user, organisation=organisation):
        raise NotAllowed(_("Only an owner of the organisation can delete assessments."))
    # The locked copy: its verification decides whether the newest counts.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    # Re-read under the lock: a submit may have made another one the latest.
    current = Assessment.objects.filter(pk=assessment.pk).first()
    if current is None:
        return
    assessment = current
    was_latest = assessment.is_latest
    counted = assessment.status == Assessment.Status.SUBMITTED
    totals_leave(assessment=assessment)
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
            totals_enter(assessment=newest, organisation=organisation)
    if counted:  # a draft never shows in the province figures
        province_figures_changed()


def quarter_of(moment: datetime) -> date:
    """First day of the local quarter of ``moment`` (what TruncQuarter gives)."""
    local = timezone.localtime(moment)
    return date(local.year, (local.month - 1) // 3 * 3 + 1, 1)
