from django.urls import path

from contracts.views import followups, plans, register

app_name = "contracts"

urlpatterns = [
    path("", register.index, name="index"),
    path("excel/", register.register_export, name="register_export"),
    path("nytt/", register.contract_create, name="contract_create"),
    path("<int:pk>/", register.contract_detail, name="contract_detail"),
    path("<int:pk>/andra/", register.contract_edit, name="contract_edit"),
    path("<int:pk>/forlangningar/", register.extension_add, name="extension_add"),
    path(
        "<int:pk>/forlangningar/<int:eid>/ta-bort/",
        register.extension_remove,
        name="extension_remove",
    ),
    path("upphandlingar/", register.procurement_list, name="procurement_list"),
    path("upphandlingar/<int:pk>/", register.procurement_edit, name="procurement_edit"),
    path("tidsplan/", plans.plan_index, name="plan_index"),
    path("tidsplan/<int:year>/", plans.plan_detail, name="plan_detail"),
    path("tidsplan/<int:year>/skapa/", plans.plan_generate, name="plan_generate"),
    path("tidsplan/<int:year>/lagg-till/", plans.plan_add, name="plan_add"),
    path("tidsplan/<int:year>/godkann/", plans.plan_approve, name="plan_approve"),
    path("tidsplan/<int:year>/rader/<int:pk>/", plans.plan_row_update, name="plan_row_update"),
    path(
        "tidsplan/<int:year>/rader/<int:pk>/ta-bort/",
        plans.plan_row_remove,
        name="plan_row_remove",
    ),
    path("uppfoljningar/<int:pk>/", followups.followup_detail, name="followup_detail"),
    path("uppfoljningar/<int:pk>/starta/", followups.followup_start, name="followup_start"),
    path("uppfoljningar/<int:pk>/spara/", followups.followup_save, name="followup_save"),
    path("uppfoljningar/<int:pk>/aktiviteter/", followups.activity_add, name="activity_add"),
    path(
        "uppfoljningar/<int:pk>/aktiviteter/<int:aid>/status/",
        followups.activity_status,
        name="activity_status",
    ),
    path(
        "uppfoljningar/<int:pk>/aktiviteter/<int:aid>/ta-bort/",
        followups.activity_remove,
        name="activity_remove",
    ),
    path("uppfoljningar/<int:pk>/brister/", followups.deficiency_add, name="deficiency_add"),
    path(
        "uppfoljningar/<int:pk>/brister/<int:did>/ta-bort/",
        followups.deficiency_remove,
        name="deficiency_remove",
    ),
    path("uppfoljningar/<int:pk>/godkann/", followups.followup_approve, name="followup_approve"),
    path("uppfoljningar/<int:pk>/tjansteskrivelse/", followups.followup_memo, name="followup_memo"),
    path("uppfoljningar/<int:pk>/excel/", followups.followup_excel, name="followup_excel"),
    path(
        "uppfoljningar/<int:pk>/forhandsgranska/",
        followups.followup_preview,
        name="followup_preview",
    ),
    path("uppfoljningar/<int:pk>/pdf/", followups.followup_pdf, name="followup_pdf"),
]
