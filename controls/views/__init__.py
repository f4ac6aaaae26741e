"""Internkontroll pages: plans and risks, the risk matrix, the control calendar, results with
figures and åtgärder, follow-up per period, Excel and PDF. One module per area; controls/urls.py
reaches every view through this package."""

from controls.views.follow_up import (
    follow_up,
)
from controls.views.import_export import (
    plan_excel,
    plan_import,
    plan_import_preview,
    plan_pdf,
    plan_preview,
)
from controls.views.plans import (
    index,
    plan_adopt,
    plan_detail,
    plan_matrix,
    plan_revise,
)
from controls.views.results import (
    action_done,
    calendar,
    occasion_detail,
    result_approve,
    result_return,
    result_submit,
)
from controls.views.risks import (
    risk_create,
    risk_delete,
    risk_edit,
    riskindex_preview,
)

__all__ = [
    "action_done",
    "calendar",
    "follow_up",
    "index",
    "occasion_detail",
    "plan_adopt",
    "plan_detail",
    "plan_excel",
    "plan_import",
    "plan_import_preview",
    "plan_matrix",
    "plan_pdf",
    "plan_preview",
    "plan_revise",
    "result_approve",
    "result_return",
    "result_submit",
    "risk_create",
    "risk_delete",
    "risk_edit",
    "riskindex_preview",
]
