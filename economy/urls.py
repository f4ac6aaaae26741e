from django.urls import path

from economy.views import imports, personnel, registers, sheets

app_name = "economy"
urlpatterns = [
    path("", sheets.index, name="index"),
    path("tabell/ny/", sheets.sheet_create, name="sheet_create"),
    path("tabell/<int:pk>/", sheets.sheet_detail, name="sheet"),
    path(
        "tabell/<int:pk>/cell/<str:row_code>/<str:column_code>/",
        sheets.cell_save,
        name="cell_save",
    ),
    path(
        "tabell/<int:pk>/kommentar/<str:row_code>/",
        sheets.commentary_save,
        name="commentary_save",
    ),
    path("tabell/<int:pk>/fotnoter/", sheets.footnotes_save, name="footnotes_save"),
    path("tabell/<int:pk>/budgetversioner/", sheets.sheet_versions, name="sheet_versions"),
    path("tabell/<int:pk>/las/", sheets.sheet_lock, name="sheet_lock"),
    path("tabell/<int:pk>/oppna/", sheets.sheet_reopen, name="sheet_reopen"),
    path("definition/<str:code>/", sheets.definition_detail, name="definition"),
    path("import/", imports.import_upload, name="import"),
    path("import/<int:pk>/", imports.import_preview, name="import_preview"),
    path("personal/ny/", personnel.personnel_create, name="personnel_create"),
    path("personal/<int:pk>/", personnel.personnel_detail, name="personnel"),
    path("budgetversioner/", registers.version_list, name="versions"),
    path("budgetversioner/ny/", registers.version_create, name="version_create"),
    path("budgetversioner/<int:pk>/las/", registers.version_lock, name="version_lock"),
    path("<slug:slug>/<int:year>/", registers.register_list, name="register"),
    path("<slug:slug>/<int:year>/ny/", registers.register_edit, name="register_create"),
    path("<slug:slug>/<int:year>/<int:pk>/", registers.register_edit, name="register_edit"),
    path(
        "<slug:slug>/<int:year>/<int:pk>/ta-bort/",
        registers.register_delete,
        name="register_delete",
    ),
    path("<slug:slug>/<int:year>/kopiera/", registers.register_copy, name="register_copy"),
]
