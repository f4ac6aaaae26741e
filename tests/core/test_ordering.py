"""solna_sn.ordering.move: one helper for every list that is moved up and down."""

import pytest

from casework.models import MemoSignatory
from controls.models import Process
from solna_sn import ordering
from tests import factories

pytestmark = pytest.mark.django_db


def names(memo):
    return list(memo.signatories.order_by("position").values_list("name", flat=True))


def test_moving_down_swaps_unique_positions(memo_with_signatories):
    memo, (first, _, _) = memo_with_signatories
    assert ordering.move(MemoSignatory, first, ordering.DOWN, memo=memo)
    assert names(memo) == ["B", "A", "C"]
    assert sorted(memo.signatories.values_list("position", flat=True)) == [1, 2, 3]


def test_moving_past_either_end_changes_nothing(memo_with_signatories):
    memo, (first, _, third) = memo_with_signatories
    assert not ordering.move(MemoSignatory, first, ordering.UP, memo=memo)
    assert not ordering.move(MemoSignatory, third, ordering.DOWN, memo=memo)
    assert names(memo) == ["A", "B", "C"]


def test_rows_without_distinct_positions_are_numbered_in_their_new_order():
    plan = factories.ControlPlanFactory()
    *_, c = (Process.objects.create(plan=plan, name=n, sort_order=0) for n in "ABC")
    assert ordering.move(Process, c, ordering.UP, field="sort_order", plan=plan)
    order = list(plan.processes.order_by("sort_order", "pk").values_list("name", "sort_order"))
    assert order == [("A", 1), ("C", 2), ("B", 3)]


def test_a_direction_other_than_one_step_is_refused(memo_with_signatories):
    memo, (first, _, _) = memo_with_signatories
    with pytest.raises(ValueError):
        ordering.move(MemoSignatory, first, 2, memo=memo)


@pytest.fixture
def memo_with_signatories():
    memo = factories.MemoFactory()
    memo.signatories.all().delete()
    rows = [
        MemoSignatory.objects.create(memo=memo, name=n, title="", position=p)
        for p, n in enumerate("ABC", start=1)
    ]
    return memo, rows
