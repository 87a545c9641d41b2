"""Thin views of the wizard, results, downloads, province dashboard and open data."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.language import request_language
from organisations.models import Organisation, Sector, SizeClassChoices
from organisations.selectors import (
    organisations_for_user,
    user_is_owner,
    user_is_province_staff,
)

from . import dashboard as dashboard_module
from . import reports
from .forms import OrganisationCreateForm, StepForm
from .models import Assessment
from .results import answer_rows, bars, progress_points, result_view
from .selectors import (
    answers_by_code,
    assessment_for_user,
    framework_for,
    framework_published_latest,
)
from .services import (
    AssessmentError,
    AssessmentFrozen,
    StaleAnswers,
    assessment_answers_save,
    assessment_delete,
    assessment_organisation_create,
    assessment_start,
    assessment_submit,
)


def _error(request, error: AssessmentError, template="assessment/error.html"):
    return render(
        request, template, {"message": error.message}, status=error.status_code
    )


def _frozen_error() -> AssessmentFrozen:
    return AssessmentFrozen(
        _(
            "This assessment has been submitted and can no longer be changed. "
            "Start a new one to update your answers."
        )
    )


def _framework(assessment: Assessment):
    return framework_for(assessment.framework).for_sector(
        assessment.organisation.sector
    )


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
def organisation_new(request):
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                organisation = assessment_organisation_create(
                    user=request.user, organisation=form.instance
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                assessment = assessment_start(
                    organisation=organisation, user=request.user
                )
                return redirect(
                    "assessment:step", public_id=assessment.public_id, step=1
                )
        return render(
            request, "assessment/organisation_new.html", {"form": form}, status=400
        )
    return render(request, "assessment/organisation_new.html", {"form": form})


@never_cache
@login_required
def begin(request, organisation_id: uuid.UUID):
    organisation = get_object_or_404(
        organisations_for_user(user=request.user), public_id=organisation_id
    )
    # Checked after the lookup: outsiders get 404 whatever the method.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        assessment = assessment_start(organisation=organisation, user=request.user)
    except AssessmentError as error:
        return _error(request, error)
    return redirect("assessment:step", public_id=assessment.public_id, step=1)


@never_cache
@login_required
def step(request, public_id: uuid.UUID, step: int):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    if assessment.is_submitted:
        if request.method == "POST":
            return _error(request, _frozen_error())
        return redirect("assessment:results", public_id=assessment.public_id)
    framework = _framework(assessment)
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
                status = error.status_code
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
        initial = StepForm.initial_from(pillar, answers_by_code(assessment))
        initial["revision"] = assessment.revision
        form = StepForm(initial=initial, pillar=pillar, language=language)
    answered = answers_by_code(assessment)
    total = len(framework.criteria)
    done = sum(
        1
        for c in framework.criteria
        if c.code in answered
        and (
            answered[c.code].option is not None
            or answered[c.code].share is not None
            or answered[c.code].not_applicable
        )
    )
    return render(
        request,
        "assessment/step.html",
        {
            "assessment": assessment,
            "form": form,
            "pillar": pillar,
            "language": language,
            "step": step,
            "steps": [
                {"number": i, "title": p.title.get(language), "current": i == step}
                for i, p in enumerate(pillars, start=1)
            ],
            "step_count": len(pillars),
            "answered": done,
            "total": total,
            "percent": round(done * 100 / total) if total else 0,
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
    framework = _framework(assessment)
    language = request_language()
    answered = answers_by_code(assessment)
    missing = []
    for number, pillar in enumerate(framework.pillars, start=1):
        open_questions = [
            c
            for c in pillar.criteria
            if c.code not in answered
            or (
                answered[c.code].option is None
                and answered[c.code].share is None
                and not answered[c.code].not_applicable
            )
        ]
        if open_questions:
            missing.append(
                {
                    "step": number,
                    "title": pillar.title.get(language),
                    "questions": [
                        f"{c.code}. {c.text.get(language)}" for c in open_questions
                    ],
                }
            )
    return render(
        request,
        "assessment/review.html",
        {
            "assessment": assessment,
            "missing": missing,
            "step_count": len(framework.pillars),
            "rows": answer_rows(assessment, language),
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
        return _error(request, error)
    messages.success(request, _("Thank you: your assessment is submitted."))
    return redirect("assessment:results", public_id=assessment.public_id)


@never_cache
@login_required
def results(request, public_id: uuid.UUID):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    if not assessment.is_submitted:
        return redirect("assessment:review", public_id=assessment.public_id)
    language = request_language()
    view = result_view(assessment, language)
    return render(
        request,
        "assessment/results.html",
        {
            "view": view,
            "assessment": assessment,
            "bars": bars(view),
            "chart_height": len(view.pillars) * 44,
            "progress_points": progress_points(view),
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


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def report_pdf(request, public_id: uuid.UUID):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    if not assessment.is_submitted:
        raise Http404
    view = result_view(assessment, request_language())
    return _download(
        reports.report_pdf(view),
        "application/pdf",
        f"danh-gia-{assessment.public_id}.pdf",
    )


@never_cache
@login_required
def answers_download(request, public_id: uuid.UUID, fmt: str):
    assessment = assessment_for_user(public_id=public_id, user=request.user)
    language = request_language()
    if fmt == "csv":
        return _download(
            reports.answers_csv(assessment, language),
            "text/csv; charset=utf-8",
            f"danh-gia-{assessment.public_id}.csv",
        )
    return _download(
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
            return _error(request, error)
        messages.success(request, _("The assessment has been deleted."))
        return redirect("assessment:start")
    return render(request, "assessment/delete.html", {"assessment": assessment})


@never_cache
@login_required
def province_dashboard(request):
    if not user_is_province_staff(user=request.user):
        raise Http404
    data = dashboard_module.dashboard_data(request.GET, language=request_language())
    if request.GET.get("export") == "xlsx":
        return _download(
            dashboard_module.dashboard_xlsx(data),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "tong-hop-danh-gia.xlsx",
        )
    return render(
        request,
        "assessment/dashboard.html",
        {
            "data": data,
            "communes": dashboard_module.commune_choices(),
            "sectors": Sector.choices,
            "size_classes": SizeClassChoices.choices,
            "kinds": Organisation.Kind.choices,
        },
        status=400 if data.errors else 200,
    )


def open_data(request):
    data = dashboard_module.open_data(language=request_language())
    return render(request, "assessment/open_data.html", {"data": data})


def open_data_csv(request):
    content = dashboard_module.open_data_csv(language=request_language())
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="danh-gia-chuyen-doi-so.csv"'
    return response


def open_data_json(request):
    return JsonResponse(
        dashboard_module.open_data(language=request_language()),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
