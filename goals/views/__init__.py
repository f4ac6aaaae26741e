"""The goal pages (under /mal/), split by area."""

from goals.views.assessments import (
    assessment_assign,
    assessment_edit,
    assignment_assessment_assign,
    assignment_assessment_edit,
    measure_value,
)
from goals.views.items import (
    activity_create,
    activity_delete,
    activity_edit,
    assignment_create,
    assignment_delete,
    assignment_edit,
    goal_create,
    goal_delete,
    goal_detail,
    goal_edit,
    measure_create,
    measure_delete,
    measure_edit,
    measure_preview,
)
from goals.views.planning import plan_changes, plan_next, plan_revise
from goals.views.tree import copy, follow_up, index, plan_table, tree

__all__ = [
    "activity_create",
    "activity_delete",
    "activity_edit",
    "assessment_assign",
    "assessment_edit",
    "assignment_assessment_assign",
    "assignment_assessment_edit",
    "assignment_create",
    "assignment_delete",
    "assignment_edit",
    "copy",
    "follow_up",
    "goal_create",
    "goal_delete",
    "goal_detail",
    "goal_edit",
    "index",
    "measure_create",
    "measure_delete",
    "measure_edit",
    "measure_preview",
    "measure_value",
    "plan_changes",
    "plan_next",
    "plan_revise",
    "plan_table",
    "tree",
]
