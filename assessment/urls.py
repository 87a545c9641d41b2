"""Public URLs of the assessment app (mounted under the language prefix).

The wizard lives under a translated prefix (/danh-gia/ in Vietnamese,
/en/assessment/ in English); open data keeps one address in both languages.
"""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "assessment"

wizard = [
    path("", views.start, name="start"),
    path(_("organisation/new/"), views.organisation_new, name="organisation_new"),
    path(_("province/"), views.province_dashboard, name="dashboard"),
    path("<uuid:organisation_id>/begin/", views.begin, name="begin"),
    path(_("<uuid:public_id>/step-<int:step>/"), views.step, name="step"),
    path(_("<uuid:public_id>/review/"), views.review, name="review"),
    path(_("<uuid:public_id>/submit/"), views.submit, name="submit"),
    path(_("<uuid:public_id>/results/"), views.results, name="results"),
    path(_("<uuid:public_id>/report.pdf"), views.report_pdf, name="report_pdf"),
    path(
        _("<uuid:public_id>/answers.csv"),
        views.answers_download,
        {"fmt": "csv"},
        name="answers_csv",
    ),
    path(
        _("<uuid:public_id>/answers.xlsx"),
        views.answers_download,
        {"fmt": "xlsx"},
        name="answers_xlsx",
    ),
    path(_("<uuid:public_id>/delete/"), views.delete, name="delete"),
]

urlpatterns = [
    path(_("assessment/"), include(wizard)),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/data.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/data.json", views.open_data_json, name="open_data_json"),
]
