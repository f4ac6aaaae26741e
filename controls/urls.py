from django.urls import path

from controls import views

app_name = "controls"

urlpatterns = [
    path("", views.index, name="index"),
]
