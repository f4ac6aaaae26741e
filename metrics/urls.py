from django.urls import path, register_converter

from metrics.views import excel, grid, reports
from solna_sn.lib.periods import Month, PeriodError


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> Month:
        try:
            return Month.parse(value)
        except PeriodError as error:
            raise ValueError(str(error)) from None

    def to_url(self, value: Month) -> str:
        return str(value)


register_converter(MonthConverter, "month")

app_name = "metrics"
urlpatterns = [
    path("", grid.index, name="index"),
    path("manad/<month:month>/<str:unit_code>/", grid.month_grid, name="month_grid"),
    path(
        "manad/<month:month>/<str:unit_code>/inrapportera/", grid.month_report, name="month_report"
    ),
    path("manad/<month:month>/<str:unit_code>/las/", grid.month_lock, name="month_lock"),
    path("manad/<month:month>/<str:unit_code>/oppna/", grid.month_reopen, name="month_reopen"),
    path("varde/<str:metric_code>/<month:month>/", grid.cell_save, name="cell_save"),
    path("varde/<str:metric_code>/<month:month>/historik/", grid.cell_history, name="cell_history"),
    path("lage/<int:year>/", grid.status_overview, name="status_overview"),
    path("kategori/<str:category_code>/<int:year>/", reports.category_table, name="category_table"),
    path("matt/<str:metric_code>/", reports.metric_history, name="metric_history"),
    path("excel/export/", excel.export, name="excel_export"),
    path("excel/import/", excel.import_upload, name="excel_import"),
    path("excel/import/<int:pk>/", excel.import_preview, name="excel_import_preview"),
    path("excel/import/<int:pk>/rubrik/", excel.import_title, name="excel_import_title"),
    path("excel/import/<int:pk>/las/", excel.import_close, name="excel_import_close"),
]
