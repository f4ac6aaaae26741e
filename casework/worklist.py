"""What waits in casework: memos to review (förvaltningsledning) and memos returned to their
writer with the reviewer's comment."""

from django.urls import reverse

from casework.models import Memo, MemoState
from solna_sn import permissions
from solna_sn.worklist import MAX_LINES, Line, register


def memo_lines(user) -> list[Line]:
    lines = []
    if permissions.can_review_memo(user):
        for memo in Memo.objects.filter(state=MemoState.REVIEW).select_related("case")[:MAX_LINES]:
            lines.append(
                Line(
                    f"Granska tjänsteskrivelsen ”{memo.title}” ({memo.case.dnr})",
                    reverse("casework:memo_detail", args=[memo.pk]),
                    "granska",
                )
            )
    if permissions.is_staff_member(user):
        returned = (
            Memo.objects.filter(created_by=user, state=MemoState.DRAFT)
            .exclude(review_comment="")
            .select_related("case")[:MAX_LINES]
        )
        for memo in returned:
            lines.append(
                Line(
                    f"Tjänsteskrivelsen ”{memo.title}” ({memo.case.dnr}) har återförts till dig",
                    reverse("casework:memo_detail", args=[memo.pk]),
                    "återförd",
                    detail=memo.review_comment,
                )
            )
    return lines


register(memo_lines)
