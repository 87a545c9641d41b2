"""Helpers the assessment's views share."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from ..errors import AssessmentError
from ..framework import Framework
from ..models import Assessment
from ..selectors import framework_for


def error_response(
    request, error: AssessmentError, template: str = "assessment/error.html"
) -> HttpResponse:
    return render(request, template, {"message": error.message}, status=error.status)


def framework_of(*, assessment: Assessment) -> Framework:
    return framework_for(assessment.framework).for_sector(
        assessment.organisation.sector
    )


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
