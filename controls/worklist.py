"""What waits in intern kontroll: results to review (granskare) and this year's controls of
my enheter that are due and not yet sent for review (returned ones with their comment)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from controls.models import Occasion, PlanState, Result, ResultState
from solna_sn import permissions
from solna_sn.lib.periods import MONTH_NAMES
from solna_sn.worklist import MAX_LINES, Line, register


def control_lines(user) -> list[Line]:
    lines = []
    if permissions.can_approve_control_result(user):
        results = Result.objects.filter(state=ResultState.REVIEW).select_related("occasion__risk")[
            :MAX_LINES
        ]
        for result in results:
            occasion = result.occasion
            lines.append(
                Line(
                    f"Granska kontrollresultatet för risk {occasion.risk.number}, "
                    f"{MONTH_NAMES[occasion.month - 1]}",
                    reverse("controls:occasion", args=[occasion.pk]),
                    "granska",
                )
            )
    if permissions.is_staff_member(user):
        today = timezone.localdate()
        due = (
            Occasion.objects.filter(
                risk__responsible_unit__in=user.units.all(),
                risk__plan__state=PlanState.ADOPTED,
                risk__plan__year=today.year,
                month__lte=today.month,
            )
            .filter(Q(result__isnull=True) | Q(result__state=ResultState.DRAFT))
            .select_related("risk", "result")
            .order_by("month", "risk__number")[:MAX_LINES]
        )
        for occasion in due:
            result = getattr(occasion, "result", None)
            returned = result is not None and bool(result.return_comment)
            lines.append(
                Line(
                    f"{'Återlämnad kontroll' if returned else 'Kontroll att göra'}: risk "
                    f"{occasion.risk.number}, {MONTH_NAMES[occasion.month - 1]}",
                    reverse("controls:occasion", args=[occasion.pk]),
                    "återförd" if returned else "att göra",
                    detail=result.return_comment if returned else "",
                )
            )
    return lines


register(control_lines)
