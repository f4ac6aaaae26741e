"""Ordering things that depend on each other (the apps' demo loaders), pure and stable."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class CycleError(ValueError):
    pass


def stable_order(names: Iterable[str], depends_on: Mapping[str, Iterable[str]]) -> list[str]:
    """`names` ordered so that each comes after what it depends on, otherwise in the given
    order. Dependencies that are not among `names` are ignored (an app that is not installed);
    a cycle raises CycleError."""
    names = list(names)
    present = set(names)
    done: list[str] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(name: str) -> None:
        if name in placed:
            return
        if name in visiting:
            raise CycleError(f"Demodata beror på varandra i en cirkel: {name}")
        visiting.add(name)
        for dependency in depends_on.get(name, ()):
            if dependency in present:
                place(dependency)
        visiting.discard(name)
        placed.add(name)
        done.append(name)

    for name in names:
        place(name)
    return done
