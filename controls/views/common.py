"""What the internkontroll pages share: looking up a plan, the Excel content type, period slugs."""

from django.shortcuts import get_object_or_404

from controls.forms import (
    PERIOD_SLUGS,
)
from controls.models import (
    ControlPlan,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLUG_FOR_PERIOD = {period: slug for slug, period in PERIOD_SLUGS.items()}


def _plan(pk) -> ControlPlan:
    return get_object_or_404(
        ControlPlan.objects.select_related("committee", "previous", "adopted_by"), pk=pk
    )


def _plans(committee):
    return ControlPlan.objects.filter(committee=committee).order_by("-year", "-revision")
