"""Public URLs of the assessment app (mounted under the language prefix).

The wizard lives under a translated prefix (/danh-gia/ in Vietnamese,
/en/assessment/ in English); open data keeps one address in both languages.
"""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from .views import organisations, province, results, wizard

app_name = "assessment"

wizard_patterns = [
    path("", wizard.start, name="start"),
    path(
        _("organisation/new/"), organisations.organisation_new, name="organisation_new"
    ),
    path(_("province/"), province.province_dashboard, name="dashboard"),
    path("<uuid:organisation_id>/begin/", organisations.begin, name="begin"),
    path(_("<uuid:public_id>/step-<int:step>/"), wizard.step, name="step"),
    path(_("<uuid:public_id>/review/"), wizard.review, name="review"),
    path(_("<uuid:public_id>/submit/"), wizard.submit, name="submit"),
    path(_("<uuid:public_id>/results/"), results.results, name="results"),
    path(_("<uuid:public_id>/report.pdf"), results.report_pdf, name="report_pdf"),
    path(
        _("<uuid:public_id>/answers.csv"),
        results.answers_download,
        {"fmt": "csv"},
        name="answers_csv",
    ),
    path(
        _("<uuid:public_id>/answers.xlsx"),
        results.answers_download,
        {"fmt": "xlsx"},
        name="answers_xlsx",
    ),
    path(_("<uuid:public_id>/delete/"), results.delete, name="delete"),
]

urlpatterns = [
    path(_("assessment/"), include(wizard_patterns)),
    path("open-data/", province.open_data, name="open_data"),
    path("open-data/data.csv", province.open_data_csv, name="open_data_csv"),
    path("open-data/data.json", province.open_data_json, name="open_data_json"),
]
