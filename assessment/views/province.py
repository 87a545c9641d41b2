"""The province dashboard (staff only) and the public open data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core.language import request_language
from organisations.models import Organisation, Sector, SizeClassChoices
from organisations.selectors import user_is_province_staff

from .. import dashboard as dashboard_module
from .common import download


@never_cache
@login_required
def province_dashboard(request):
    if not user_is_province_staff(user=request.user):
        raise Http404
    data = dashboard_module.dashboard_data(
        query=request.GET, language=request_language()
    )
    if request.GET.get("export") == "xlsx":
        return download(
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
