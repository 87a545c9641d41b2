"""The applicant's pages on the site: apply, and see the application's state.

Staff decide in the Wagtail admin (``joining.admin_views``).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .errors import EmailNotVerified, JoiningError, TaxCodeClaimed
from .forms import ApplicationForm
from .models import OrganisationApplication
from .services import application_submit, user_email_verified


def _own_applications(request: HttpRequest):
    return OrganisationApplication.objects.filter(applicant=request.user).order_by(
        "-created_at"
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    context = {"applications": _own_applications(request)}
    if not user_email_verified(user=request.user):
        # A clear refusal, not a form that fails on submit.
        context["error"] = EmailNotVerified().message
        return render(request, "joining/apply.html", context, status=403)
    show_dispute = request.method == "POST" and "dispute_statement" in request.POST
    form = ApplicationForm(
        request.POST or None, request.FILES or None, show_dispute=show_dispute
    )
    context["form"] = form
    if request.method != "POST":
        return render(request, "joining/apply.html", context)
    if not form.is_valid():
        return render(request, "joining/apply.html", context, status=400)
    try:
        application = application_submit(
            applicant=request.user,
            application=form.instance,
            dispute=bool(form.cleaned_data.get("dispute")),
            language=translation.get_language() or "",
        )
    except TaxCodeClaimed as error:
        # Shown again with the dispute fields: the claimant is told what to
        # do rather than refused. The file is not kept: upload it again.
        form = ApplicationForm(request.POST, show_dispute=True)
        form.is_valid()
        form.add_error(None, str(error.message))
        context["form"] = form
        return render(request, "joining/apply.html", context, status=error.status)
    except JoiningError as error:
        form.add_error(None, str(error.message))
        return render(request, "joining/apply.html", context, status=error.status)
    messages.success(
        request,
        _("Your application was sent. Province staff will check it and email you."),
    )
    return redirect("joining:application", public_id=application.public_id)


@never_cache
@login_required
def application_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    # Another person's application is a 404: its id names nothing.
    application = _own_applications(request).filter(public_id=public_id).first()
    if application is None:
        raise Http404
    return render(request, "joining/application.html", {"application": application})
