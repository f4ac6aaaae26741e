"""What changed between two versions of a report: a redline of every section's text (written
and generated alike, so a changed table cell shows) and a list of the figures whose printed
text changed. Pure functions on snapshots; `ReportVersion` rows and the live assembly both
become a `Snapshot` first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reports import richtext

CELL_END_RE = re.compile(r"</(td|th|caption)>", re.IGNORECASE)


@dataclass
class Snapshot:
    label: str
    # [{"order", "title", "level", "mode", "html"}, …]
    sections: list[dict]
    # key → [label, text]
    figures: dict[str, list]


@dataclass
class FigureChange:
    label: str
    before: str  # "" when the figure is new
    after: str  # "" when the figure is gone


@dataclass
class SectionChange:
    order: int
    title: str
    level: int
    status: str  # "ändrat", "nytt", "borttaget", "oförändrat"
    diff: str = ""  # HTML with <del>/<ins>

    @property
    def changed(self) -> bool:
        return self.status != "oförändrat"


@dataclass
class Redline:
    old: Snapshot
    new: Snapshot
    sections: list[SectionChange] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)

    @property
    def changed_sections(self) -> list[SectionChange]:
        return [s for s in self.sections if s.changed]

    @property
    def unchanged_sections(self) -> list[SectionChange]:
        return [s for s in self.sections if not s.changed]


def words(fragment: str) -> list[str]:
    """The words of a printed fragment; table cells are kept apart ("Verksamhet -138,2")."""
    return richtext.diff_tokens(CELL_END_RE.sub(" ", fragment or ""))


def _title(entry: dict) -> str:
    return entry.get("title") or ""


def compare(old: Snapshot, new: Snapshot) -> Redline:
    """Sections are matched by their place in the outline (`order`), which a report keeps from
    its creation; a section only in one snapshot is new or removed."""
    result = Redline(old, new)
    before = {entry["order"]: entry for entry in old.sections}
    after = {entry["order"]: entry for entry in new.sections}
    for order in sorted(before.keys() | after.keys()):
        a, b = before.get(order), after.get(order)
        shown = b or a
        if a is None:
            status, diff = "nytt", richtext.diff_words([], words(b["html"]))
        elif b is None:
            status, diff = "borttaget", richtext.diff_words(words(a["html"]), [])
        else:
            old_words, new_words = words(a["html"]), words(b["html"])
            changed = old_words != new_words or _title(a) != _title(b)
            status = "ändrat" if changed else "oförändrat"
            diff = richtext.diff_words(old_words, new_words) if changed else ""
            if _title(a) != _title(b):
                diff = (
                    f"<p>Rubriken: {richtext.diff_words(_title(a).split(), _title(b).split())}"
                    f"</p>{diff}"
                )
        if shown.get("mode") == "heading" and status == "oförändrat":
            continue
        result.sections.append(
            SectionChange(
                order=order,
                title=_title(shown) or "(fortsättning av avsnittet ovan)",
                level=shown.get("level", 1),
                status=status,
                diff=diff,
            )
        )
    for key in sorted(old.figures.keys() | new.figures.keys()):
        a, b = old.figures.get(key), new.figures.get(key)
        if a is not None and b is not None and a[1] == b[1]:
            continue
        label = (b or a)[0]
        result.figures.append(
            FigureChange(label=label, before=a[1] if a else "", after=b[1] if b else "")
        )
    result.figures.sort(key=lambda change: change.label)
    return result
