from django.urls import path

from controls import views

app_name = "controls"

urlpatterns = [
    path("", views.index, name="index"),
    path("plan/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plan/<int:pk>/riskmatris/", views.plan_matrix, name="plan_matrix"),
    path("plan/<int:pk>/faststall/", views.plan_adopt, name="plan_adopt"),
    path("plan/<int:pk>/ny-revision/", views.plan_revise, name="plan_revise"),
    path("plan/<int:pk>/ny-risk/", views.risk_create, name="risk_create"),
    path("plan/<int:pk>/riskindex/", views.riskindex_preview, name="riskindex_preview"),
    path("plan/<int:pk>/kalender/", views.calendar, name="calendar"),
    path("plan/<int:pk>/uppfoljning/<slug:period>/", views.follow_up, name="follow_up"),
    path("plan/<int:pk>/excel/", views.plan_excel, name="plan_excel"),
    path("plan/<int:pk>/utskrift/", views.plan_preview, name="plan_preview"),
    path("plan/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("risk/<int:pk>/", views.risk_edit, name="risk_edit"),
    path("risk/<int:pk>/ta-bort/", views.risk_delete, name="risk_delete"),
    path("kontroll/<int:pk>/", views.occasion_detail, name="occasion"),
    path("resultat/<int:pk>/skicka/", views.result_submit, name="result_submit"),
    path("resultat/<int:pk>/godkann/", views.result_approve, name="result_approve"),
    path("resultat/<int:pk>/aterlamna/", views.result_return, name="result_return"),
    path("atgard/<int:pk>/klar/", views.action_done, name="action_done"),
    path("importera/", views.plan_import, name="plan_import"),
    path("importera/<int:pk>/", views.plan_import_preview, name="plan_import_preview"),
]
