"""What waits in mål: goal and uppdrag assessments assigned to me that are not klar."""

from django.urls import reverse

from goals.models import AssessmentState, AssignmentAssessment, GoalAssessment
from solna_sn import permissions
from solna_sn.worklist import MAX_LINES, Line, register


def assessment_lines(user) -> list[Line]:
    if not permissions.is_staff_member(user):
        return []
    lines = []
    goals = (
        GoalAssessment.objects.filter(writer=user, state=AssessmentState.DRAFT)
        .select_related("goal")
        .order_by("goal_id", "period")[:MAX_LINES]
    )
    for assessment in goals:
        lines.append(
            Line(
                f"Bedöm målet ”{_short(assessment.goal.title)}” – "
                f"{assessment.get_period_display()}",
                reverse("goals:assessment", args=[assessment.goal_id, assessment.period]),
                "att bedöma",
            )
        )
    assignments = (
        AssignmentAssessment.objects.filter(writer=user, state=AssessmentState.DRAFT)
        .select_related("assignment")
        .order_by("assignment_id", "period")[:MAX_LINES]
    )
    for assessment in assignments:
        lines.append(
            Line(
                f"Bedöm uppdraget ”{_short(assessment.assignment.text)}” – "
                f"{assessment.get_period_display()}",
                reverse(
                    "goals:assignment_assessment",
                    args=[assessment.assignment_id, assessment.period],
                ),
                "att bedöma",
            )
        )
    return lines


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


register(assessment_lines)
