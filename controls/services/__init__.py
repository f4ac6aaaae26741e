"""Internkontroll rules and writes. Every change checks the role, runs in one transaction,
and leaves an audit entry. Bad input raises ValidationError with Swedish messages. One module
per area; every name is importable from `controls.services`."""

from controls.services.calendar import (
    CalendarEntry,
    CalendarStatus,
    calendar,
    occasion_status,
    plan_occasions,
)
from controls.services.common import (
    DEFAULT_LEVELS,
    RISK_FIELDS,
    StaleEditError,
    StateError,
    active_levels,
    settings_for,
)
from controls.services.follow_up import (
    FollowUpRow,
    follow_up_for,
    follow_up_rows,
    follow_up_save,
)
from controls.services.plans import (
    MatrixCell,
    ProcessGroup,
    current_plan,
    grouped_risks,
    plan_adopt,
    plan_create,
    plan_new_revision,
    plan_risks,
    process_move,
    risk_delete,
    risk_matrix,
    risk_save,
)
from controls.services.results import (
    action_mark_done,
    may_record,
    result_approve,
    result_return,
    result_save,
    result_submit,
)

__all__ = [
    "DEFAULT_LEVELS",
    "RISK_FIELDS",
    "CalendarEntry",
    "CalendarStatus",
    "FollowUpRow",
    "MatrixCell",
    "ProcessGroup",
    "StaleEditError",
    "StateError",
    "action_mark_done",
    "active_levels",
    "calendar",
    "current_plan",
    "follow_up_for",
    "follow_up_rows",
    "follow_up_save",
    "grouped_risks",
    "may_record",
    "occasion_status",
    "plan_adopt",
    "plan_create",
    "plan_new_revision",
    "plan_occasions",
    "plan_risks",
    "process_move",
    "result_approve",
    "result_return",
    "result_save",
    "result_submit",
    "risk_delete",
    "risk_matrix",
    "risk_save",
    "settings_for",
]
