"""Fyraögonprincipen: the one rule every approval uses (no database)."""

from types import SimpleNamespace

from solna_sn.review import may_approve

ANNA, BERIT = SimpleNamespace(pk=1), SimpleNamespace(pk=2)


def test_the_last_editor_may_not_approve_and_is_told_why():
    allowed, reason = may_approve(ANNA, ANNA, what="resultatet")
    assert not allowed
    assert reason.startswith("Du har själv senast ändrat resultatet")
    assert "fyraögonprincipen" in reason


def test_someone_else_may_approve():
    assert may_approve(BERIT, ANNA) == (True, "")
    assert may_approve(BERIT, 1) == (True, "")
    assert may_approve(BERIT, None) == (True, "")


def test_content_in_parts_counts_every_last_editor():
    assert not may_approve(ANNA, {1, 3})[0]
    assert may_approve(BERIT, [1, None, 3])[0]
