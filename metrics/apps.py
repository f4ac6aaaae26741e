from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = "Verksamhetsmått"

    def ready(self):
        from metrics import series

        series.register()  # monthly series for goals' key figures, through solna_sn.figures
