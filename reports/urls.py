from django.urls import path

from reports.views import reports, sections

app_name = "reports"

urlpatterns = [
    path("", reports.report_list, name="report_list"),
    path("<int:pk>/", reports.report_detail, name="report_detail"),
    path("<int:pk>/steg/<str:action>/", reports.report_transition, name="report_transition"),
    path("<int:pk>/jamfor/", reports.report_compare, name="report_compare"),
    path("<int:pk>/kontroll/", reports.report_checks, name="report_checks"),
    path("<int:pk>/forhandsgranska/", reports.report_preview, name="report_preview"),
    path("<int:pk>/word/", reports.report_word, name="report_word"),
    path("<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("<int:pk>/tjansteskrivelse/", reports.report_memo, name="report_memo"),
    path("<int:pk>/rattelse/", reports.report_correction, name="report_correction"),
    path("avsnitt/<int:pk>/", sections.section_edit, name="section_edit"),
    path("avsnitt/<int:pk>/spara/", sections.section_save, name="section_save"),
    path("avsnitt/<int:pk>/narvaro/", sections.section_presence, name="section_presence"),
    path("avsnitt/<int:pk>/klar/", sections.section_mark, name="section_mark"),
    path("avsnitt/<int:pk>/skribent/", sections.section_assign, name="section_assign"),
    path("avsnitt/<int:pk>/versioner/", sections.section_history, name="section_history"),
]
