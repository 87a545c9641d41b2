"""The wizard: start page, one step per pillar, review and submit."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.language import request_language
from organisations.selectors import organisations_for_user, user_is_province_staff

from ..errors import AssessmentError, AssessmentFrozen, StaleAnswers
from ..forms import StepForm
from ..results import review_groups
from ..selectors import (
    answers_by_code,
    assessment_for_user,
    framework_for,
    framework_published_latest,
    step_progress,
)
from ..services.answers import assessment_answers_save
from ..services.submissions import assessment_submit
from .common import error_response, framework_of


@never_cache
def start(request):
    """Introduction, the user's organisations and their assessments."""
    version = framework_published_latest()
    framework = framework_for(version) if version else None
    organisations = []
    if request.user.is_authenticated:
        for organisation in organisations_for_user(user=request.user):
            assessments = list(
                organisation.assessments.order_by("-created_at").only(
                    "public_id",
                    "status",
                    "created_at",
                    "submitted_at",
                    "level",
                    "overall_score",
                    "organisation_id",
                )
            )
            organisations.append(
                {
                    "organisation": organisation,
                    "draft": next(
                        (a for a in assessments if a.status == "draft"), None
                    ),
                    "submitted": [a for a in assessments if a.status == "submitted"],
                }
            )
    return render(
        request,
        "assessment/start.html",
        {
            "framework": framework,
            "framework_title": framework.title.get(request_language())
            if framework
            else "",
            "organisations": organisations,
            "is_staff": user_is_province_staff(user=request.user),
        },
    )


@never_cache
@login_required
def step(request, public_id: uuid.UUID, step: int):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    if assessment.is_submitted:
        if request.method == "POST":
            return error_response(request, AssessmentFrozen())
        return redirect("assessment:results", public_id=assessment.public_id)
    framework = framework_of(assessment=assessment)
    pillars = framework.pillars
    if not 1 <= step <= len(pillars):
        raise Http404
    pillar = pillars[step - 1]
    language = request_language()
    conflicts = []
    status = 200
    if request.method == "POST":
        form = StepForm(request.POST, pillar=pillar, language=language)
        if form.is_valid():
            try:
                assessment = assessment_answers_save(
                    assessment=assessment,
                    user=request.user,
                    answers=form.answers(),
                    revision=form.cleaned_data["revision"],
                    force=bool(form.cleaned_data.get("force")),
                )
            except StaleAnswers as error:
                conflicts = error.conflicts
                # Keep the user's entries; the next save deliberately overwrites.
                data = request.POST.copy()
                data["revision"] = str(error.revision)
                data["force"] = "on"
                form = StepForm(data, pillar=pillar, language=language)
                form.is_valid()
                messages.error(request, error.message)
                status = 409
            except AssessmentError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                action = request.POST.get("action", "next")
                if action == "back" and step > 1:
                    return redirect(
                        "assessment:step", public_id=assessment.public_id, step=step - 1
                    )
                if action == "save":
                    messages.success(request, _("Your answers are saved."))
                    return redirect(
                        "assessment:step", public_id=assessment.public_id, step=step
                    )
                if action == "next" and step < len(pillars):
                    return redirect(
                        "assessment:step", public_id=assessment.public_id, step=step + 1
                    )
                return redirect("assessment:review", public_id=assessment.public_id)
        else:
            status = 400
    else:
        initial = StepForm.initial_from(pillar, answers_by_code(assessment=assessment))
        initial["revision"] = assessment.revision
        form = StepForm(initial=initial, pillar=pillar, language=language)
    steps = step_progress(
        framework=framework, answers=answers_by_code(assessment=assessment)
    )
    answered = sum(s.answered for s in steps)
    total = sum(s.total for s in steps)
    pillar_title = pillar.title.get(language)
    return render(
        request,
        "assessment/step.html",
        {
            "assessment": assessment,
            "form": form,
            "pillar": pillar,
            "pillar_title": pillar_title,
            "pillar_description": pillar.description.get(language),
            "language": language,
            "step": step,
            "steps": [
                {
                    "number": s.number,
                    "title": s.pillar.title.get(language),
                    "current": s.number == step,
                    "answered": s.answered,
                    "total": s.total,
                }
                for s in steps
            ],
            "step_count": len(pillars),
            "answered": answered,
            "total": total,
            "percent": round(answered * 100 / total) if total else 0,
            "conflicts": [
                {
                    "code": c.criterion_code,
                    "theirs": _answer_text(framework, c.theirs, language),
                    "by": c.theirs.updated_by,
                }
                for c in conflicts
            ],
            "criteria_fields": _criteria_fields(form, pillar),
        },
        status=status,
    )


def _answer_text(framework, answer, language: str) -> str:
    criterion = framework.criterion(answer.criterion_code)
    if answer.not_applicable:
        return _("Not applicable")
    if answer.option is not None and criterion and criterion.kind == "ladder":
        return criterion.options[answer.option].label.get(language)
    if answer.share is not None:
        return f"{answer.share:g} %"
    return _("Not answered")


def _criteria_fields(form: StepForm, pillar) -> list[dict]:
    """Group each question's bound fields (answer, not applicable, note)."""
    groups = []
    for criterion in pillar.criteria:
        groups.append(
            {
                "criterion": criterion,
                "answer": form[f"c_{criterion.code}"],
                "na": form[f"na_{criterion.code}"]
                if f"na_{criterion.code}" in form.fields
                else None,
                "note": form[f"note_{criterion.code}"],
            }
        )
    return groups


@never_cache
@login_required
def review(request, public_id: uuid.UUID):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    if assessment.is_submitted:
        return redirect("assessment:results", public_id=assessment.public_id)
    framework = framework_of(assessment=assessment)
    language = request_language()
    groups = review_groups(
        assessment=assessment, framework=framework, language=language
    )
    return render(
        request,
        "assessment/review.html",
        {
            "assessment": assessment,
            "groups": groups,
            "missing": [g for g in groups if g.open_rows],
            "step_count": len(framework.pillars),
        },
    )


@never_cache
@login_required
def submit(request, public_id: uuid.UUID):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        assessment_submit(assessment=assessment, user=request.user)
    except AssessmentError as error:
        return error_response(request, error)
    messages.success(request, _("Thank you: your assessment is submitted."))
    return redirect("assessment:results", public_id=assessment.public_id)
