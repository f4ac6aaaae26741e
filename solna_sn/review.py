"""Fyraögonprincipen: one rule for every approval in the förvaltning.

Whoever approves a memo, a control result, a contract follow-up or a report must not be the
last one who changed its content. The services refuse such an approval; the pages show the
reason in place of the button.
"""

from __future__ import annotations

from collections.abc import Iterable

FOUR_EYES_REASON = (
    "Du har själv senast ändrat {what} och kan därför inte godkänna (fyraögonprincipen). "
    "En annan granskare godkänner."
)


def _pk(editor) -> int | None:
    return getattr(editor, "pk", editor)


def may_approve(user, last_editor, *, what: str = "innehållet") -> tuple[bool, str]:
    """(True, "") when `user` may approve content last changed by `last_editor`, else
    (False, a Swedish reason naming `what`). `last_editor` is a user, a user id, None (nobody
    recorded: allowed) or several of them (content in parts, such as a report's sections)."""
    editors = (
        last_editor
        if isinstance(last_editor, Iterable) and not isinstance(last_editor, str)
        else [last_editor]
    )
    if user is not None and user.pk in {_pk(e) for e in editors if e is not None}:
        return False, FOUR_EYES_REASON.format(what=what)
    return True, ""
