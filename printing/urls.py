from django.urls import path

from printing import views

app_name = "printing"

urlpatterns = [
    # Rendered PDFs are named by their random token (RenderedDocument.token), not their id.
    path("pdf/<slug:token>/", views.render_status, name="render_status"),
    path("pdf/<slug:token>/fil/", views.render_file, name="render_file"),
    path("pdf/<slug:token>/forsok-igen/", views.render_retry, name="render_retry"),
]
