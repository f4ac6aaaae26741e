"""The audit trail: the one way services record who did what, when, to what.

Call `record()` inside the service's transaction, so an entry exists exactly when the change
it describes was committed.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from solna_sn.models import AuditEntry


def record(
    action: str,
    *,
    by,
    target: models.Model | None = None,
    changes: dict[str, tuple[Any, Any] | list[Any]] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one audit entry.

    `action` is a dotted verb such as "unit.renamed"; `by` is the acting user (None for the
    system); `changes` maps field name to (old, new).
    """
    actor_id = getattr(by, "pk", None)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        actor_username=getattr(by, "username", "") or "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        changes={field: [old, new] for field, (old, new) in (changes or {}).items()},
        reason=reason.strip(),
    )


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Fields whose value differs between two snapshots, as field → (old, new)."""
    return {
        field: (old.get(field), new.get(field))
        for field in sorted(set(old) | set(new))
        if old.get(field) != new.get(field)
    }


def entries_for(target: models.Model):
    """All audit entries about one object, newest first."""
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
