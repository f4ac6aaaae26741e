"""Who may read a rendered document: staff read every document; anyone else reads what the
app owning the document's subject allows, decided by the document's own fields (when and from
what it was rendered), never by the subject's current state.

An app registers one rule per subject type in its AppConfig.ready():

    access.register_reader("casework.memo", rule)

where `rule(user)` returns a Q over RenderedDocument for a non-staff user (or None: nothing).
This module is the only place that decides; `RenderedDocument.objects.readable_by` uses it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from solna_sn import permissions

Rule = Callable[[object], Q | None]
_rules: dict[str, Rule] = {}


def register_reader(subject_type: str, rule: Rule) -> None:
    _rules[subject_type] = rule


def reader_filter(user) -> Q | None:
    """A Q over RenderedDocument of what `user` may read; None = everything (staff);
    Q(pk__in=[]) = nothing."""
    if permissions.can_view_internal_papers(user):
        return None
    if not permissions.can_read_committee_papers(user):
        return Q(pk__in=[])
    allowed = Q(pk__in=[])
    for subject_type, rule in _rules.items():
        condition = rule(user)
        if condition is not None:
            allowed |= Q(subject_type=subject_type) & condition
    return allowed
