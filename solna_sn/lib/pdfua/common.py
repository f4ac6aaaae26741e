"""Small helpers on pikepdf objects and matrices that every part of `pdfua` uses."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pikepdf
from pikepdf import Array, Dictionary, Name

from solna_sn.lib import gc_pause

PDF_VERSION = "1.7"

_TABLE_PARTS = {"/THead", "/TBody", "/TFoot"}
_CELLS = {"/TH", "/TD"}
# Elements kept even when empty: table cells and rows hold the grid; a Figure its alt text.
_KEEP_EMPTY = {"/TH", "/TD", "/TR", "/THead", "/TBody", "/TFoot", "/Table", "/Figure", "/Document"}
_BLOCKS = {
    "/P", "/Div", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/L", "/LI", "/LBody",
    "/Table", "/Sect", "/Art", "/Part", "/BlockQuote", "/Figure", "/Caption", "/TOC",
}  # fmt: skip
_ID_LIKE = re.compile(r"[#\w.:/=?&%+-]*")
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _key(obj) -> tuple[int, int]:
    return obj.objgen


def _is_dict(obj) -> bool:
    return isinstance(obj, Dictionary)


def _is_elem(obj) -> bool:
    """A structure element: a dictionary with /S (marked-content and object references have
    none)."""
    return isinstance(obj, Dictionary) and "/S" in obj


def _read_number_tree(node) -> dict[int, object]:
    entries: dict[int, object] = {}
    stack = [node] if node is not None else []
    seen: set = set()
    while stack:
        item = stack.pop()
        if not _is_dict(item) or (item.is_indirect and _key(item) in seen):
            continue
        if item.is_indirect:
            seen.add(_key(item))
        nums = item.get("/Nums")
        if isinstance(nums, Array):
            values = list(nums)
            for index in range(0, len(values) - 1, 2):
                if isinstance(values[index], int):
                    entries[int(values[index])] = values[index + 1]
        kids = item.get("/Kids")
        if isinstance(kids, Array):
            stack.extend(kids)
    return entries


def _table_attr(elem, key: str, default=None):
    return _table_attr_in(elem.get("/A"), key, default)


def _table_attr_in(attrs, key: str, default=None):
    """`key` of the Table attributes in `attrs`, an element's /A."""
    for attr in attrs if isinstance(attrs, Array) else [attrs]:
        if _is_dict(attr) and key in attr and attr.get("/O", Name.Table) == Name.Table:
            return attr[key]
    return default


def _mul(m, n):
    """Matrix m then n, in PDF's row-vector convention."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def _numbers(operands) -> tuple[float, ...] | None:
    try:
        return tuple(map(float, operands))
    except (TypeError, ValueError):
        return None


def _readable(text: str, names: Mapping | None = None) -> bool:
    text = text.strip()
    if not text or (names and text in names):
        return False
    return not _ID_LIKE.fullmatch(text)


def _save(document: pikepdf.Pdf) -> bytes:
    if _version(document) < (1, 7) and "/Version" in document.Root:
        del document.Root["/Version"]
    out = io.BytesIO()
    document.save(
        out, min_version=PDF_VERSION, object_stream_mode=pikepdf.ObjectStreamMode.generate
    )
    return out.getvalue()


def _version(document: pikepdf.Pdf) -> tuple[int, int]:
    """The header's version, or the catalog's /Version when that is later."""

    def parse(text: str) -> tuple[int, int]:
        try:
            major, minor = text.lstrip("/").split(".")[:2]
            return int(major), int(minor)
        except ValueError:
            return (0, 0)

    return max(parse(document.pdf_version), parse(str(document.Root.get("/Version", "/0.0"))))


# No cyclic garbage collection while a document is repaired (see gc_pause).
_gc_paused = gc_pause.paused
