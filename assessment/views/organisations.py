"""A new organisation from the wizard, and beginning an organisation's assessment."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from organisations.selectors import organisations_for_user

from ..errors import AssessmentError
from ..forms import OrganisationCreateForm
from ..selectors import resume_step
from ..services.submissions import assessment_organisation_create, assessment_start
from .common import error_response, framework_of


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
        return error_response(request, error)
    step = resume_step(
        assessment=assessment, framework=framework_of(assessment=assessment)
    )
    if step is None:
        return redirect("assessment:review", public_id=assessment.public_id)
    return redirect("assessment:step", public_id=assessment.public_id, step=step)
