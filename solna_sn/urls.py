from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from solna_sn import views

urlpatterns = [
    path("", views.start, name="start"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("mina-installningar/", views.my_settings, name="my_settings"),
    path("organisation/", views.organisation, name="organisation"),
    path("system/", views.system_status, name="system_status"),
    path("system/kontroll/<int:pk>/", views.worker_check, name="worker_check"),
    path("verksamhetsmatt/", include("metrics.urls")),
    path("internkontroll/", include("controls.urls")),
    path("avtal/", include("contracts.urls")),
    path("ekonomi/", include("economy.urls")),
    path("mal/", include("goals.urls")),
    path("rapporter/riskkopplingar/", include("reports.risk_link_urls")),
    path("rapporter/", include("reports.urls")),
    path("", include("printing.urls")),
    path("", include("casework.urls")),
    path("admin/", admin.site.urls),
]
