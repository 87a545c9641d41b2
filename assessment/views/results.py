"""Results, the PDF report, answer downloads and deleting an assessment."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.language import request_language
from organisations.selectors import (
    organisations_for_user,
    user_is_member,
    user_is_owner,
)

from .. import reports
from ..charts import bars, progress_chart
from ..errors import AssessmentError
from ..results import next_step_pillars, result_view
from ..selectors import MIN_GROUP, assessment_for_user
from ..services.submissions import assessment_delete
from .common import download, error_response


@never_cache
@login_required
def results(request, public_id: uuid.UUID):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    if not assessment.is_submitted:
        return redirect("assessment:review", public_id=assessment.public_id)
    language = request_language()
    view = result_view(assessment=assessment, language=language)
    return render(
        request,
        "assessment/results.html",
        {
            "view": view,
            "assessment": assessment,
            "chart": bars(view),
            "progress": progress_chart(view),
            "min_group": MIN_GROUP,
            "next_steps": next_step_pillars(view),
            "history_rows": [
                {
                    "public_id": point.assessment.public_id,
                    "date": point.assessment.submitted_at,
                    "overall": point.assessment.overall_score,
                    "values": [point.pillar_scores.get(p.code) for p in view.pillars],
                }
                for point in view.history
            ],
            "can_delete": user_is_owner(
                user=request.user, organisation=assessment.organisation
            ),
            "is_member": assessment.organisation
            in organisations_for_user(user=request.user),
        },
    )


@never_cache
@login_required
def report_pdf(request, public_id: uuid.UUID):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    if not assessment.is_submitted:
        raise Http404
    view = result_view(assessment=assessment, language=request_language())
    is_member = user_is_member(user=request.user, organisation=assessment.organisation)
    return download(
        reports.report_pdf(
            view, links_base=request.build_absolute_uri("/") if is_member else None
        ),
        "application/pdf",
        f"danh-gia-{assessment.public_id}.pdf",
    )


@never_cache
@login_required
def answers_download(request, public_id: uuid.UUID, fmt: str):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    language = request_language()
    if fmt == "csv":
        return download(
            reports.answers_csv(assessment, language),
            "text/csv; charset=utf-8",
            f"danh-gia-{assessment.public_id}.csv",
        )
    return download(
        reports.answers_xlsx(assessment, language),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"danh-gia-{assessment.public_id}.xlsx",
    )


@never_cache
@login_required
def delete(request, public_id: uuid.UUID):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    if not user_is_owner(user=request.user, organisation=assessment.organisation):
        raise Http404
    if request.method == "POST":
        try:
            assessment_delete(assessment=assessment, user=request.user)
        except AssessmentError as error:
            return error_response(request, error)
        messages.success(request, _("The assessment has been deleted."))
        return redirect("assessment:start")
    return render(request, "assessment/delete.html", {"assessment": assessment})
