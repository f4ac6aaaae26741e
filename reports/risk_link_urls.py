from django.urls import path

from reports import risk_link_views as views

app_name = "risk_links"

urlpatterns = [
    path("plan/<int:plan_pk>/", views.plan_links, name="plan"),
    path("plan/<int:plan_pk>/koppla/", views.link_add, name="add"),
    path(
        "plan/<int:plan_pk>/fran-foregaende-revision/",
        views.links_from_previous,
        name="from_previous",
    ),
    path("<int:pk>/ta-bort/", views.link_remove, name="remove"),
]
