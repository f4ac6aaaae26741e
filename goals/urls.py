from django.urls import path

from goals import views

app_name = "goals"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.tree, name="tree"),
    path("<int:year>/kopiera/", views.copy, name="copy"),
    path("<int:year>/planera-nasta-ar/", views.plan_next, name="plan_next"),
    path("<int:year>/forandringar/", views.plan_changes, name="plan_changes"),
    path("<int:year>/ny-revision/", views.plan_revise, name="plan_revise"),
    path("<int:year>/nytt-mal/", views.goal_create, name="goal_create"),
    path("<int:year>/ny-aktivitet/", views.activity_create, name="activity_create"),
    path("<int:year>/nytt-uppdrag/", views.assignment_create, name="assignment_create"),
    path("<int:year>/maltabell/", views.plan_table, name="plan_table"),
    path("<int:year>/uppfoljning/<slug:period>/", views.follow_up, name="follow_up"),
    path("mal/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("mal/<int:pk>/andra/", views.goal_edit, name="goal_edit"),
    path("mal/<int:pk>/ta-bort/", views.goal_delete, name="goal_delete"),
    path("mal/<int:pk>/nytt-matt/", views.measure_create, name="measure_create"),
    path("mal/<int:pk>/matt-forhandsvisning/", views.measure_preview, name="measure_preview"),
    path("mal/<int:pk>/bedomning/<slug:period>/", views.assessment_edit, name="assessment"),
    path(
        "mal/<int:pk>/bedomning/<slug:period>/skribent/",
        views.assessment_assign,
        name="assessment_assign",
    ),
    path("matt/<int:pk>/", views.measure_edit, name="measure_edit"),
    path("matt/<int:pk>/ta-bort/", views.measure_delete, name="measure_delete"),
    path("matt/<int:pk>/varde/<slug:period>/", views.measure_value, name="measure_value"),
    path("aktivitet/<int:pk>/", views.activity_edit, name="activity_edit"),
    path("aktivitet/<int:pk>/ta-bort/", views.activity_delete, name="activity_delete"),
    path("uppdrag/<int:pk>/", views.assignment_edit, name="assignment_edit"),
    path("uppdrag/<int:pk>/ta-bort/", views.assignment_delete, name="assignment_delete"),
    path(
        "uppdrag/<int:pk>/bedomning/<slug:period>/",
        views.assignment_assessment_edit,
        name="assignment_assessment",
    ),
    path(
        "uppdrag/<int:pk>/bedomning/<slug:period>/skribent/",
        views.assignment_assessment_assign,
        name="assignment_assessment_assign",
    ),
]
