"""Province staff's queue of applications in the Wagtail admin.

Every view asks ``user_is_province_staff`` itself (superusers included): the
admin guard already keeps organisation members out of these routes
(``organisations.admin_routes``: staff prefix), this keeps it so for anyone
else with admin access. Anybody else gets the admin's plain 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisations.errors import OrganisationError
from organisations.selectors import user_is_province_staff

from .emails import application_decision_email_send
from .forms import DecisionForm
from .models import OrganisationApplication
from .services import (
    application_approve,
    application_reject,
    dispute_resolve,
    tax_code_claims,
)

Status = OrganisationApplication.Status


def _staff_only(request: HttpRequest) -> None:
    if not user_is_province_staff(user=request.user):
        raise Http404


def _application(pk: int) -> OrganisationApplication:
    application = (
        OrganisationApplication.objects.select_related("applicant", "commune")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def index(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    wanted = request.GET.get("status", "open")
    applications = OrganisationApplication.objects.select_related(
        "applicant", "commune"
    ).order_by("created_at")
    if wanted == "open":
        applications = applications.open()
    elif wanted in Status.values:
        applications = applications.filter(status=wanted)
    else:
        wanted = "all"
    choices = [("open", _("Open")), *Status.choices, ("all", _("All"))]
    return render(
        request,
        "joining/admin/index.html",
        {"applications": applications, "wanted": wanted, "choices": choices},
    )


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    application = _application(pk)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            decided = _decide(request, application, form)
        except OrganisationError as error:
            messages.error(request, str(error.message))
            status = error.status
        else:
            for each in decided:
                application_decision_email_send(application=each)
            return redirect("joining_applications:detail", pk=application.pk)
    organisations, others = tax_code_claims(
        tax_code=application.tax_code, exclude=application
    )
    context = {
        "application": application,
        "form": form,
        "claim_organisations": organisations,
        "claim_applications": others,
    }
    return render(request, "joining/admin/detail.html", context, status=status)


def _decide(
    request: HttpRequest, application: OrganisationApplication, form: DecisionForm
) -> list[OrganisationApplication]:
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    action = request.POST.get("action", "")
    user = request.user
    if action == "approve":
        result = application_approve(application=application, by=user)
        messages.success(
            request,
            _("Approved: %(organisation)s is verified and has a draft brand page.")
            % {"organisation": result.organisation.display_name},
        )
        return [result.application]
    if action == "reject":
        rejected = application_reject(application=application, by=user, reason=reason)
        messages.success(request, _("Application rejected."))
        return [rejected]
    if action in {"uphold", "transfer"}:
        decided = dispute_resolve(
            application=application,
            by=user,
            transfer=action == "transfer",
            reason=reason,
        )
        messages.success(request, _("Dispute resolved."))
        return decided
    raise OrganisationError()


def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The registration document, always as a download (never inline)."""
    _staff_only(request)
    application = _application(pk)
    if not application.evidence:
        raise Http404
    extension = application.evidence.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        application.evidence.open("rb"),
        as_attachment=True,
        filename=f"ho-so-{application.tax_code}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
