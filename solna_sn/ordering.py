"""Moving a row one step up or down among its siblings, for every ordered list in the project
(signatories, handlingar, agenda items, processes).

The caller locks what it needs and checks access; this only rewrites the order column. Positions
may be unique (memo signatories): rows are parked on free positions before they get their new
ones, so no two rows share a position at any moment.
"""

from __future__ import annotations

UP = -1
DOWN = 1


def move(model, obj, direction: int, *, field: str = "position", **scope) -> bool:
    """Move `obj` one step in `direction` (UP = -1, DOWN = +1) among the rows of `model`
    matching `scope`, ordered by `field` then pk. Returns False (and writes nothing) at either end.

    When the rows' values are distinct they keep them, swapped; otherwise (all 0 after an import)
    the rows are numbered 1, 2, 3 … in their new order."""
    if direction not in (UP, DOWN):
        raise ValueError(f"direction must be {UP} or {DOWN}, not {direction!r}")
    siblings = list(model.objects.filter(**scope).order_by(field, "pk"))
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return False
    values = [getattr(s, field) for s in siblings]
    if len(set(values)) != len(values):
        values = list(range(1, len(siblings) + 1))
    siblings[index], siblings[other] = siblings[other], siblings[index]
    changed = [(s, v) for s, v in zip(siblings, values, strict=True) if getattr(s, field) != v]
    parking = max(values + [getattr(s, field) for s in siblings]) + 1
    for offset, (sibling, _) in enumerate(changed):
        model.objects.filter(pk=sibling.pk).update(**{field: parking + offset})
    for sibling, value in changed:
        model.objects.filter(pk=sibling.pk).update(**{field: value})
        setattr(sibling, field, value)
    return True
