"""Print HTML of internkontroll: the plan with its risk matrix, as the PDF and the preview show it.
Built here only; views and reports ask for it."""

from django.template.loader import render_to_string

from controls import services
from controls.models import (
    PlanState,
)


def plan_print_html(plan, *, asset_base="", preview_back_url="") -> str:
    """The plan as a printable HTML document. `asset_base` is where the preview finds static
    files; the PDF renderer resolves them itself."""
    groups = services.grouped_risks(plan)
    risks = [risk for group in groups for risk in group.risks]
    rows, unplaced = services.risk_matrix(plan, risks)
    return render_to_string(
        "controls/print/plan.html",
        {
            "plan": plan,
            "groups": groups,
            "matrix_rows": rows,
            "unplaced": unplaced,
            "scale": range(1, plan.scale_max + 1),
            "top_index": plan.scale_max * plan.scale_max,
            "document_title": plan_title(plan),
            "document_date": plan.adopted_on,
            "asset_base": asset_base,
            "preview_back_url": preview_back_url,
        },
    )


def plan_title(plan) -> str:
    """The document title: the plan, and its state when it is not fastställd."""
    state = "" if plan.state == PlanState.ADOPTED else f" ({plan.get_state_display().lower()})"
    return f"{plan}{state}"
