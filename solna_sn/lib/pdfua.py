"""Accessible PDF (PDF/UA-1) structure: repair what WeasyPrint 70 writes, splice uploaded
enclosures in as tagged content, and check the result. Pure pikepdf, no Django models.

WeasyPrint tags every document, but (as of 70.0):

- no TH gets /Scope, and its /Headers on TD treat scope="rowgroup" as a column header;
- `role="presentation"` is ignored, so layout tables are data tables without TH;
- the @page margin boxes (running header, "sida X (Y)") are marked content that points, through
  the ParentTree, at structure elements that are not in the tree; a reader finds the content
  but no place for it;
- every box is cut per page, so a table across three pages is three Table elements, each with
  its own THead (the repeated head);
- a link with a ::after pseudo element becomes a Link inside a Link, and every link annotation
  gets its anchor id ("arende-2") as /Contents;
- element IDs are written without an /IDTree.

`postprocess` fixes all of that on the written PDF; `splice` draws uploaded PDFs onto their
placeholder pages as one Figure per enclosure with an alternative text; `check` is a structural
checker (no PDF/UA validator is installable here) that every PDF test can run.

Table fragments are one table when the next page starts, with nothing read in between, with a
table as wide that repeats the head (same cells, same text) or has none. The HTML, when given,
decides the rest: WeasyPrint writes tables in the HTML's order, so HTML tables are matched to
the PDF's by their row and cell shape; such a chain is cut where one HTML table ends and the
next begins (two tables with a page break between them), each TH gets the Scope of its HTML
`scope`, `role="presentation"` marks a layout table, and a row cut by a page break is joined
again when the row count leaves no doubt. Without the HTML, or when the shapes differ, the HTML
table algorithm's defaults apply (a TH in THead, or in a row without TD, is a column header; any
other TH a row header) and a table without TH is taken for a layout table.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.etree import ElementTree

import pikepdf
import tinyhtml5
from pikepdf import Array, ContentStreamInstruction, Dictionary, Name, Operator, String

from solna_sn.lib import pdf as pdflib

PDF_VERSION = "1.7"
XMP_PDFUA = "http://www.aiim.org/pdfua/ns/id/"
XMP_DC = "http://purl.org/dc/elements/1.1/"

_TEXT_OPS = {"Tj", "TJ", "'", '"'}
_PAINT_OPS = _TEXT_OPS | {
    "S",
    "s",
    "f",
    "F",
    "f*",
    "B",
    "B*",
    "b",
    "b*",
    "Do",
    "sh",
    "INLINE IMAGE",
}
_TABLE_PARTS = {"/THead", "/TBody", "/TFoot"}
_CELLS = {"/TH", "/TD"}
# Elements kept even when empty: table cells and rows hold the grid; a Figure its alt text.
_KEEP_EMPTY = {"/TH", "/TD", "/TR", "/THead", "/TBody", "/TFoot", "/Table", "/Figure", "/Document"}
_BLOCKS = {
    "/P", "/Div", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/L", "/LI", "/LBody",
    "/Table", "/Sect", "/Art", "/Part", "/BlockQuote", "/Figure", "/Caption", "/TOC",
}  # fmt: skip
_HEADING = re.compile(r"/H([1-6])")
_ID_LIKE = re.compile(r"[#\w.:/=?&%+-]*")


# --- Small helpers ------------------------------------------------------------------------------


def _key(obj) -> tuple[int, int]:
    return obj.objgen


def _is_dict(obj) -> bool:
    return isinstance(obj, Dictionary)


def _is_mcr(obj) -> bool:
    return _is_dict(obj) and obj.get("/Type") == Name.MCR


def _is_objr(obj) -> bool:
    return _is_dict(obj) and obj.get("/Type") == Name.OBJR


def _is_elem(obj) -> bool:
    """A structure element: a dictionary with /S (marked-content and object references have
    none)."""
    return isinstance(obj, Dictionary) and "/S" in obj


def _kids(elem) -> list:
    kids = elem.get("/K")
    if kids is None:
        return []
    if isinstance(kids, Array):
        return list(kids)
    return [kids]


def _tag(elem) -> str:
    return str(elem.get("/S", ""))


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
            for index in range(0, len(nums) - 1, 2):
                if isinstance(nums[index], int):
                    entries[int(nums[index])] = nums[index + 1]
        kids = item.get("/Kids")
        if isinstance(kids, Array):
            stack.extend(kids)
    return entries


def _table_attr(elem, key: str, default=None):
    attrs = elem.get("/A")
    for attr in attrs if isinstance(attrs, Array) else [attrs]:
        if _is_dict(attr) and key in attr and attr.get("/O", Name.Table) == Name.Table:
            return attr[key]
    return default


def _table_attrs(elem) -> Dictionary:
    """The element's /A dictionary with /O /Table, created when missing."""
    attrs = elem.get("/A")
    if _is_dict(attrs) and attrs.get("/O") == Name.Table:
        return attrs
    if isinstance(attrs, Array):
        for attr in attrs:
            if _is_dict(attr) and attr.get("/O") == Name.Table:
                return attr
        attr = Dictionary(O=Name.Table)
        attrs.append(attr)
        return attr
    attr = Dictionary(O=Name.Table)
    elem.A = attr if attrs is None else Array([attrs, attr])
    return attr


def _span(elem, key: str) -> int:
    value = _table_attr(elem, key, 1)
    return max(1, int(value)) if isinstance(value, int) else 1


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
        return tuple(float(value) for value in operands)
    except (TypeError, ValueError):
        return None


# --- Content streams ----------------------------------------------------------------------------


@dataclass
class _Seq:
    """One marked-content sequence in a page's content stream."""

    begin: int  # index of its BDC/BMC instruction
    end: int | None  # index of its EMC
    tag: str
    mcid: int | None
    artifact: bool
    inside_mcid: bool  # nested in a sequence with an MCID
    y: float | None = None  # device y of the first thing drawn in it
    text_ops: list[int] = field(default_factory=list)  # its text-showing instructions


@dataclass
class _Scan:
    seqs: list[_Seq]
    untagged: int  # painting operators neither in tagged content nor in an artifact
    unbalanced: bool


def _properties(operands, resources) -> Dictionary | None:
    if len(operands) < 2:
        return None
    props = operands[1]
    if isinstance(props, Name) and resources is not None:
        named = resources.get("/Properties")
        props = named.get(props) if _is_dict(named) else None
    return props if _is_dict(props) else None


def _scan(ops, resources) -> _Scan:
    seqs: list[_Seq] = []
    stack: list[_Seq] = []
    untagged = 0
    unbalanced = False
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    ctm_stack = []
    line = text = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for index, instruction in enumerate(ops):
        op = str(instruction.operator)
        operands = instruction.operands
        if op in ("BDC", "BMC"):
            tag = str(operands[0]) if operands else ""
            props = _properties(operands, resources) if op == "BDC" else None
            mcid = props.get("/MCID") if props is not None else None
            seq = _Seq(
                begin=index,
                end=None,
                tag=tag,
                mcid=int(mcid) if isinstance(mcid, int) else None,
                artifact=tag == "/Artifact" or any(s.artifact for s in stack),
                inside_mcid=any(s.mcid is not None for s in stack),
            )
            seqs.append(seq)
            stack.append(seq)
            continue
        if op == "EMC":
            if stack:
                stack.pop().end = index
            else:
                unbalanced = True
            continue
        if op == "q":
            ctm_stack.append(ctm)
        elif op == "Q":
            ctm = ctm_stack.pop() if ctm_stack else ctm
        elif op == "cm":
            matrix = _numbers(operands)
            if matrix and len(matrix) == 6:
                ctm = _mul(matrix, ctm)
        elif op == "BT":
            line = text = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        elif op == "Tm":
            matrix = _numbers(operands)
            if matrix and len(matrix) == 6:
                line = text = matrix
        elif op in ("Td", "TD"):
            offset = _numbers(operands)
            if offset and len(offset) == 2:
                line = text = _mul((1.0, 0.0, 0.0, 1.0, *offset), line)
        if op in _PAINT_OPS or op == "re":
            tagged = any(s.mcid is not None or s.artifact for s in stack)
            if op in _PAINT_OPS and not tagged:
                untagged += 1
            owner = next((s for s in reversed(stack) if s.mcid is not None), None)
            if owner is not None:
                if owner.y is None:
                    if op in _TEXT_OPS:
                        owner.y = _mul(text, ctm)[5]
                    elif op == "re" and (box := _numbers(operands)) and len(box) == 4:
                        owner.y = _mul((1.0, 0.0, 0.0, 1.0, box[0], box[1]), ctm)[5]
                if op in _TEXT_OPS:
                    owner.text_ops.append(index)
    if stack:
        unbalanced = True
    return _Scan(seqs=seqs, untagged=untagged, unbalanced=unbalanced)


def _strip_marked_content(stream_owner, pdf, seen: set | None = None) -> None:
    """Remove marked-content operators (except optional content, /OC) from a form XObject's
    stream and, recursively, from the forms it draws: its tags mean nothing outside its own
    document, and inside a Figure no content may carry an MCID."""
    seen = set() if seen is None else seen
    if stream_owner.is_indirect:
        if _key(stream_owner) in seen:
            return
        seen.add(_key(stream_owner))
    ops = pikepdf.parse_content_stream(stream_owner)
    kept = []
    stack: list[bool] = []
    changed = False
    for instruction in ops:
        op = str(instruction.operator)
        if op in ("BDC", "BMC"):
            keep = bool(instruction.operands) and instruction.operands[0] == Name.OC
            stack.append(keep)
            if not keep:
                changed = True
                continue
        elif op == "EMC":
            if stack and not stack.pop():
                continue
        elif op in ("MP", "DP"):
            changed = True
            continue
        kept.append(instruction)
    if changed:
        stream_owner.write(pikepdf.unparse_content_stream(kept))
    resources = stream_owner.get("/Resources")
    xobjects = resources.get("/XObject") if _is_dict(resources) else None
    if _is_dict(xobjects):
        for xobject in xobjects.values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == Name.Form:
                _strip_marked_content(xobject, pdf, seen)


def _shows_text(stream_owner, seen: set | None = None) -> bool:
    seen = set() if seen is None else seen
    if stream_owner.is_indirect:
        if _key(stream_owner) in seen:
            return False
        seen.add(_key(stream_owner))
    for instruction in pikepdf.parse_content_stream(stream_owner):
        if str(instruction.operator) in _TEXT_OPS:
            return True
    resources = stream_owner.get("/Resources")
    xobjects = resources.get("/XObject") if _is_dict(resources) else None
    if _is_dict(xobjects):
        for xobject in xobjects.values():
            is_form = isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == Name.Form
            if is_form and _shows_text(xobject, seen):
                return True
    return False


# --- The HTML side ------------------------------------------------------------------------------


@dataclass
class _HtmlTable:
    role: str
    rows: list[tuple]  # row signatures: (group, ((tag, colspan, rowspan), ...))
    scopes: list[list[str | None]]  # per row, per cell: the scope attribute of a TH


@dataclass
class _Html:
    tables: list[_HtmlTable]
    links: dict[str, str]  # anchor id → the link's name (aria-label, title or text)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _span_attr(element, name: str) -> int:
    try:
        return max(1, int(element.get(name, "1")))
    except ValueError:
        return 1


def _parse_html(html: str) -> _Html:
    root = tinyhtml5.parse(html)
    tables = []
    links: dict[str, str] = {}
    for element in root.iter():
        name = _local(element.tag)
        if name == "a" and (element.get("href") or "").startswith("#"):
            anchor = unquote(element.get("href")[1:])
            label = element.get("aria-label") or element.get("title") or "".join(element.itertext())
            label = " ".join(label.split())
            if anchor and label:
                links.setdefault(anchor, label)
        if name != "table":
            continue
        head, bodies, foot = [], [], []
        for group in element:
            group_name = _local(group.tag)
            if group_name == "thead" and not head:
                head.append(group)
            elif group_name == "tfoot" and not foot:
                foot.append(group)
            elif group_name in ("thead", "tbody", "tfoot"):
                bodies.append(group)
        rows, scopes = [], []
        for group in head + bodies + foot:
            pdf_group = {"thead": "/THead", "tfoot": "/TFoot"}.get(_local(group.tag), "/TBody")
            if group in bodies:
                pdf_group = "/TBody"
            for row in group:
                if _local(row.tag) != "tr":
                    continue
                cells = [cell for cell in row if _local(cell.tag) in ("th", "td")]
                signature = tuple(
                    (
                        "/" + _local(cell.tag).upper(),
                        _span_attr(cell, "colspan"),
                        _span_attr(cell, "rowspan"),
                    )
                    for cell in cells
                )
                rows.append((pdf_group, signature))
                scopes.append(
                    [
                        (cell.get("scope") or "").strip().lower() or None
                        if _local(cell.tag) == "th"
                        else None
                        for cell in cells
                    ]
                )
        role = (element.get("role") or "").strip().lower()
        tables.append(_HtmlTable(role=role, rows=rows, scopes=scopes))
    return _Html(tables=tables, links=links)


# --- The tagged document ------------------------------------------------------------------------


@dataclass
class _Fragment:
    """A Table element as WeasyPrint wrote it, with what the merge decision needs (taken before
    anything is changed)."""

    table: Dictionary
    rows: list[tuple[str, Dictionary]]  # (group tag, TR) in order
    signature: list[tuple]
    width: int
    first: int | None  # index of its first and last content item in reading order
    last: int | None
    first_page: int | None
    last_page: int | None
    head_signature: list[tuple]
    head_text: list[bytes]


@dataclass
class _Group:
    """Fragments that are one table; `html` the HTML table matched to it."""

    fragments: list[_Fragment]
    html: _HtmlTable | None = None
    signature: list[tuple] = field(default_factory=list)


class _Doc:
    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.pages = [page.obj for page in pdf.pages]
        self.page_no = {_key(page): index for index, page in enumerate(self.pages)}
        self.root = pdf.Root.get("/StructTreeRoot")
        self.parent_tree = (
            _read_number_tree(self.root.get("/ParentTree")) if self.root is not None else {}
        )
        self._ops: dict[int, list] = {}
        self._scans: dict[int, _Scan] = {}
        self._texts: dict[int, dict[int, list[int]]] = {}
        self._dirty: set[int] = set()
        # (page, MCID) of content that was tagged once and is now furniture: artifact subtype.
        self.artifacts: dict[tuple[int, int], str | None] = {}
        self.mapped = self._mapped()
        self._make_elements_indirect()

    def _make_elements_indirect(self) -> None:
        """Identity is the object number: give a direct element (allowed, rare) one."""
        if self.root is None:
            return
        stack = [self.root]
        seen: set = set()
        while stack:
            node = stack.pop()
            if _key(node) in seen:
                continue
            seen.add(_key(node))
            kids = node.get("/K")
            if kids is None:
                continue
            if not isinstance(kids, Array):
                kids = node.K = Array([kids])
            for index, kid in enumerate(kids):
                if _is_elem(kid):
                    if not kid.is_indirect:
                        kid = kids[index] = self.pdf.make_indirect(kid)
                    stack.append(kid)

    # Pages and content

    def ops(self, page: int) -> list:
        if page not in self._ops:
            self._ops[page] = list(pikepdf.parse_content_stream(self.pdf.pages[page]))
        return self._ops[page]

    def scan(self, page: int) -> _Scan:
        if page not in self._scans:
            self._scans[page] = _scan(self.ops(page), self.pages[page].get("/Resources"))
        return self._scans[page]

    def replace(self, page: int, index: int, instruction) -> None:
        self.ops(page)[index] = instruction
        self._dirty.add(page)
        self._scans.pop(page, None)

    def flush(self) -> None:
        for page in sorted(self._dirty):
            self.pages[page].Contents = self.pdf.make_stream(
                pikepdf.unparse_content_stream(self._ops[page])
            )
        self._dirty.clear()

    def page_of(self, obj) -> int | None:
        page = obj.get("/Pg") if _is_dict(obj) else None
        return self.page_no.get(_key(page)) if _is_dict(page) and page.is_indirect else None

    def _mapped(self) -> set[tuple[int, int]]:
        """(page, MCID) pairs the original ParentTree maps to any element."""
        mapped = set()
        for index, page in enumerate(self.pages):
            entry = self.parent_tree.get(page.get("/StructParents"))
            if isinstance(entry, Array):
                mapped.update((index, mcid) for mcid, elem in enumerate(entry) if _is_dict(elem))
        return mapped

    # The structure tree

    def document_elements(self) -> list:
        if self.root is None:
            return []
        return [kid for kid in _kids(self.root) if _is_elem(kid)]

    def walk(self) -> Iterator[tuple[Dictionary, Dictionary | None]]:
        """Every element reachable from the root, pre-order, with its parent."""
        stack = [(kid, None) for kid in reversed(self.document_elements())]
        seen: set = set()
        while stack:
            elem, parent = stack.pop()
            if _key(elem) in seen:
                continue
            seen.add(_key(elem))
            yield elem, parent
            stack.extend((kid, elem) for kid in reversed(_kids(elem)) if _is_elem(kid))

    def content(self, elem, kid) -> tuple | None:
        """A content item's key: ('mc', page, MCID) or ('annot', objgen)."""
        if isinstance(kid, int):
            page = self.page_of(elem)
            return None if page is None else ("mc", page, int(kid))
        if _is_mcr(kid) and "/Stm" not in kid and isinstance(kid.get("/MCID"), int):
            page = self.page_of(kid) if "/Pg" in kid else self.page_of(elem)
            return None if page is None else ("mc", page, int(kid.MCID))
        if _is_objr(kid) and _is_dict(kid.get("/Obj")):
            return ("annot", _key(kid.Obj))
        return None

    def reading_order(self, start=None) -> list[tuple]:
        """Content items in reading order, of the whole tree or of one element's subtree."""
        order = []
        stack = [iter([start] if start is not None else self.document_elements())]
        seen: set = set()
        owner = [None]
        while stack:
            kid = next(stack[-1], None)
            if kid is None:
                stack.pop()
                owner.pop()
                continue
            if _is_elem(kid):
                if _key(kid) in seen:
                    continue
                seen.add(_key(kid))
                stack.append(iter(_kids(kid)))
                owner.append(kid)
            elif owner[-1] is not None and (item := self.content(owner[-1], kid)):
                order.append(item)
        return order

    def owners(self) -> dict[tuple, tuple[Dictionary, int]]:
        """(page, MCID) or annotation → (element, index in its /K) over the reachable tree."""
        owners: dict[tuple, tuple[Dictionary, int]] = {}
        for elem, _parent in self.walk():
            for index, kid in enumerate(_kids(elem)):
                item = self.content(elem, kid)
                if item is not None:
                    owners.setdefault(item[1:] if item[0] == "mc" else item, (elem, index))
        return owners

    def detach(self, elem, parent) -> None:
        """Take `elem` out of `parent` (the root for None), or out of whichever element holds
        it when `parent` does not."""
        parent = self.root if parent is None else parent
        kids = _kids(parent)
        kept = [kid for kid in kids if not (_is_elem(kid) and _key(kid) == _key(elem))]
        if len(kept) == len(kids):
            holder = next((p for e, p in self.walk() if _key(e) == _key(elem)), False)
            if holder is not False and (holder is not None or parent is not self.root):
                self.detach(elem, holder)
            return
        parent.K = Array(kept)

    def new_elem(self, tag: str, parent, page: int | None = None, **entries) -> Dictionary:
        elem = Dictionary(Type=Name.StructElem, S=Name(tag), K=Array(), P=parent, **entries)
        if page is not None:
            elem.Pg = self.pages[page]
        return self.pdf.make_indirect(elem)

    # Repairs

    def flatten_nested_links(self) -> None:
        """A link and its ::after pseudo element: WeasyPrint writes a Link inside a Link."""
        nested = [
            (elem, parent)
            for elem, parent in self.walk()
            if parent is not None and _tag(elem) == "/Link" and _tag(parent) == "/Link"
        ]
        for elem, parent in nested:
            while _tag(parent) == "/Link" and _is_elem(parent.get("/P")):
                if _tag(parent.P) != "/Link":
                    break
                parent = parent.P  # a Link in a Link in a Link: all into the outermost
            moved = []
            for kid in _kids(elem):
                if isinstance(kid, int) and self.page_of(elem) != self.page_of(parent):
                    kid = Dictionary(Type=Name.MCR, Pg=elem.Pg, MCID=kid)
                if _is_elem(kid):
                    kid.P = parent
                moved.append(kid)
            kids = []
            for kid in _kids(parent):
                if _is_elem(kid) and _key(kid) == _key(elem):
                    kids.extend(moved)
                else:
                    kids.append(kid)
            parent.K = Array(kids)

    def fragments(self) -> list[_Fragment]:
        order = self.reading_order()
        position = {item: index for index, item in enumerate(order)}
        fragments = []
        for elem, _parent in self.walk():
            if _tag(elem) != "/Table":
                continue
            rows = _rows(elem)
            items = [item for item in self.reading_order(elem) if item[0] == "mc"]
            head = [tr for group, tr in rows if group == "/THead"]
            head_text = []
            for tr in head:
                for item in self.reading_order(tr):
                    if item[0] == "mc":
                        head_text.extend(self.text_of(item[1], item[2]))
            signature = [(group, _row_signature(tr)) for group, tr in rows]
            fragments.append(
                _Fragment(
                    table=elem,
                    rows=rows,
                    signature=signature,
                    width=_grid([tr for _g, tr in rows])[0],
                    first=position.get(items[0]) if items else None,
                    last=position.get(items[-1]) if items else None,
                    first_page=items[0][1] if items else None,
                    last_page=items[-1][1] if items else None,
                    head_signature=[s for s in signature if s[0] == "/THead"],
                    head_text=head_text,
                )
            )
        return fragments

    def text_of(self, page: int, mcid: int) -> list[bytes]:
        """The text operands shown in a marked-content sequence, to compare repeated heads."""
        if page not in self._texts:
            texts: dict[int, list[int]] = {}
            for seq in self.scan(page).seqs:
                if seq.mcid is not None:
                    texts.setdefault(seq.mcid, []).extend(seq.text_ops)
            self._texts[page] = texts
        ops = self.ops(page)
        return [
            pikepdf.unparse_content_stream(
                [ContentStreamInstruction(ops[i].operands, Operator("TJ"))]
            )
            for i in self._texts[page].get(mcid, [])
        ]

    def group_tables(self, html: _Html | None) -> list[_Group]:
        """The document's tables, each merged into its first fragment (see `_plan`)."""
        return [self.merge_chain(chain, table) for chain, table in _plan(self.fragments(), html)]

    def merge_chain(self, chain: list[_Fragment], html: _HtmlTable | None) -> _Group:
        """Merge the fragments; when the HTML table has exactly one row fewer per page break,
        every break cut a row (taller than the page) and its parts are joined into one row."""
        group = _Group(fragments=[chain[0]], signature=list(chain[0].signature))
        bodies = [_body(fragment) for fragment in chain[1:]]
        rows = len(group.signature) + sum(len(body) for body in bodies)
        join = (
            html is not None
            and bool(bodies)
            and rows - len(html.rows) == len(bodies)
            and all(body and body[0] == group_last for body, group_last in _lasts(chain))
        )
        for fragment, body in zip(chain[1:], bodies, strict=True):
            self.merge(group, fragment, join=join)
            group.signature += body[1:] if join else body
        group.html = html if html is not None and html.rows == group.signature else None
        return group

    def merge(self, group: _Group, fragment: _Fragment, *, join: bool) -> None:
        """Move a continued table's rows into the table it continues; its repeated head (and a
        repeated foot) becomes an artifact."""
        table = group.fragments[0].table
        group.fragments.append(fragment)
        parent = fragment.table.get("/P")
        kids = _kids(fragment.table)
        heads = [kid for kid in kids if _is_elem(kid) and _tag(kid) == "/THead"]
        for head in heads:
            self.to_artifact(head)
        bodies = [kid for kid in kids if _is_elem(kid) and _tag(kid) == "/TBody"]
        feet = [kid for kid in kids if _is_elem(kid) and _tag(kid) == "/TFoot"]
        rest = [kid for kid in kids if _is_elem(kid) and _tag(kid) not in _TABLE_PARTS]
        loose_rows = [kid for kid in rest if _tag(kid) == "/TR"]
        rest = [kid for kid in rest if _tag(kid) != "/TR"]
        table_kids = _kids(table)
        old_feet = [kid for kid in table_kids if _is_elem(kid) and _tag(kid) == "/TFoot"]
        if feet and old_feet:
            for foot in old_feet:
                self.to_artifact(foot)
            table_kids = [k for k in table_kids if not (_is_elem(k) and _tag(k) == "/TFoot")]
        target = next(
            (k for k in reversed(table_kids) if _is_elem(k) and _tag(k) == "/TBody"), table
        )
        new_rows = [*loose_rows, *(_kids(bodies[0]) if bodies else [])]
        if join and new_rows:
            self.join_rows(_row_elements(target)[-1], new_rows.pop(0))
        for row in new_rows:
            if _is_elem(row):
                row.P = target
        if target is table:
            table_kids.extend(new_rows)
        else:
            target.K = Array([*_kids(target), *new_rows])
        index = next(
            (i for i, k in enumerate(table_kids) if _is_elem(k) and _tag(k) == "/TFoot"),
            len(table_kids),
        )
        table_kids[index:index] = [*bodies[1:], *rest]
        table_kids.extend(feet)
        for kid in [*bodies[1:], *rest, *feet]:
            kid.P = table
        table.K = Array(table_kids)
        self.detach(fragment.table, parent if _is_elem(parent) else None)

    def join_rows(self, row, continued) -> None:
        """A row split across pages: the second part's cells go into the first part's."""
        cells = [c for c in _kids(row) if _is_elem(c) and _tag(c) in _CELLS]
        more = [c for c in _kids(continued) if _is_elem(c) and _tag(c) in _CELLS]
        for cell, rest in zip(cells, more, strict=False):
            moved = []
            for kid in _kids(rest):
                if isinstance(kid, int) and self.page_of(rest) != self.page_of(cell):
                    kid = Dictionary(Type=Name.MCR, Pg=rest.Pg, MCID=kid)
                if _is_elem(kid):
                    kid.P = cell
                moved.append(kid)
            cell.K = Array([*_kids(cell), *moved])

    def to_artifact(self, elem, subtype: str | None = None) -> None:
        for item in self.reading_order(elem):
            if item[0] == "mc":
                self.artifacts[item[1:]] = subtype

    def retag_layout(self, table) -> None:
        """A layout table read as text: Table → Div, each row a P (a Div when a cell holds
        blocks), each cell a Span (or Div)."""
        table.S = Name.Div
        for key in ("/A", "/ID"):
            if key in table:
                del table[key]
        kids = []
        for kid in _kids(table):
            if _is_elem(kid) and _tag(kid) in _TABLE_PARTS:
                for row in _kids(kid):
                    if _is_elem(row):
                        row.P = table
                    kids.append(row)
            else:
                if _is_elem(kid) and _tag(kid) == "/Caption":
                    kid.S = Name.P
                kids.append(kid)
        table.K = Array(kids)
        for row in kids:
            if not _is_elem(row) or _tag(row) != "/TR":
                continue
            cells = [c for c in _kids(row) if _is_elem(c) and _tag(c) in _CELLS]
            blocks = any(_is_elem(k) and _tag(k) in _BLOCKS for cell in cells for k in _kids(cell))
            row.S = Name.Div if blocks else Name.P
            for cell in cells:
                cell.S = Name.Div if blocks else Name.Span
                for key in ("/A", "/ID"):
                    if key in cell:
                        del cell[key]

    def set_headers(self, number: int, table, html: _HtmlTable | None) -> None:
        """Scope on every TH (from the HTML's scope, else the HTML defaults), fresh IDs, and
        /Headers on every TD from the grid."""
        rows = _rows(table)
        _width, cells = _grid([tr for _g, tr in rows])
        scopes: dict[tuple, Name] = {}
        for r, (group, tr) in enumerate(rows):
            row_cells = [c for c in _kids(tr) if _is_elem(c) and _tag(c) in _CELLS]
            has_td = any(_tag(c) == "/TD" for c in row_cells)
            for k, cell in enumerate(row_cells):
                if _tag(cell) != "/TH":
                    continue
                declared = html.scopes[r][k] if html is not None else None
                if declared in ("col", "colgroup"):
                    scope = Name.Column
                elif declared in ("row", "rowgroup"):
                    scope = Name.Row
                elif group == "/THead" or not has_td:
                    scope = Name.Column
                else:
                    scope = Name.Row
                _table_attrs(cell).Scope = scope
                scopes[_key(cell)] = scope
        slots: dict[tuple[int, int], Dictionary] = {}
        ids: dict[tuple, String] = {}
        for objgen, (elem, r, c, rs, cs) in cells.items():
            for dr in range(rs):
                for dc in range(cs):
                    slots.setdefault((r + dr, c + dc), elem)
            if _tag(elem) == "/TH":
                ids[objgen] = elem.ID = String(f"t{number}-{r}-{c}")
        for elem, r, c, rs, cs in cells.values():
            if _tag(elem) != "/TD":
                continue
            wanted = [((rr, cc), Name.Row) for rr in range(r, r + rs) for cc in range(c)]
            wanted += [((rr, cc), Name.Column) for cc in range(c, c + cs) for rr in range(r)]
            headers: list[String] = []
            for slot, scope in wanted:
                other = slots.get(slot)
                if other is None or scopes.get(_key(other)) != scope:
                    continue
                if ids[_key(other)] not in headers:
                    headers.append(ids[_key(other)])
            attrs = _table_attrs(elem)
            if headers:
                attrs.Headers = Array(headers)
            elif "/Headers" in attrs:
                del attrs["/Headers"]

    def fix_links(self, link_texts: Mapping[str, str] | None, html: _Html | None) -> None:
        names = self.destinations()
        for page in self.pages:
            annotations = page.get("/Annots")
            if not isinstance(annotations, Array) or not len(annotations):
                continue
            page.Tabs = Name.S
            for annotation in annotations:
                if not _is_dict(annotation) or annotation.get("/Subtype") != Name.Link:
                    continue
                anchor, target_page, uri = self.link_target(annotation, names)
                text = None
                if anchor and link_texts and anchor in link_texts:
                    text = link_texts[anchor].replace("{page}", str(target_page or "?"))
                elif anchor and html is not None and anchor in html.links and target_page:
                    text = f"{html.links[anchor]}, sida {target_page}"
                elif target_page:
                    text = f"Gå till sida {target_page}"
                current = annotation.get("/Contents")
                if text is None and not _readable(str(current or ""), names):
                    text = f"Länk till {uri}" if uri else "Länk"
                if text is not None:
                    annotation.Contents = String(text)

    def destinations(self) -> dict[str, object]:
        names: dict[str, object] = {}
        root_names = self.pdf.Root.get("/Names")
        if _is_dict(root_names) and _is_dict(root_names.get("/Dests")):
            for name, dest in pikepdf.NameTree(root_names.Dests).items():
                names[str(name)] = dest
        dests = self.pdf.Root.get("/Dests")
        if _is_dict(dests):
            for name, dest in dests.items():
                names.setdefault(name[1:], dest)
        return names

    def link_target(self, annotation, names) -> tuple[str | None, int | None, str | None]:
        dest = annotation.get("/Dest")
        action = annotation.get("/A")
        uri = None
        if dest is None and _is_dict(action):
            if action.get("/S") == Name.GoTo:
                dest = action.get("/D")
            elif action.get("/S") == Name.URI:
                uri = str(action.get("/URI", "")) or None
        anchor = None
        if isinstance(dest, String | Name):
            anchor = str(dest)[1:] if isinstance(dest, Name) else str(dest)
            dest = names.get(anchor)
        if _is_dict(dest):
            dest = dest.get("/D")
        page = None
        if isinstance(dest, Array) and len(dest) and _is_dict(dest[0]) and dest[0].is_indirect:
            index = self.page_no.get(_key(dest[0]))
            page = index + 1 if index is not None else None
        return anchor, page, uri

    def prune_empty(self) -> None:
        """Remove elements left without content (children first, so a parent emptied by
        that goes too), except table cells, rows and parts, and Figures."""
        for elem, parent in reversed(list(self.walk())):
            if _tag(elem) not in _KEEP_EMPTY and not _kids(elem):
                self.detach(elem, parent)

    def finalize(self) -> None:
        """Renumber marked content per page, turn content whose element left the tree into
        artifacts, and write a ParentTree with no empty entry, /P on every element and an
        /IDTree."""
        self.prune_empty()
        for elem, parent in self.walk():
            elem.P = parent if parent is not None else self.root
        owners = self.owners()
        entries: dict[int, object] = {}
        for index, page in enumerate(self.pages):
            scan = self.scan(index)
            height = _page_height(page)
            renumbered: dict[int, int] = {}
            array: list = []
            for seq in scan.seqs:
                if seq.mcid is None:
                    continue
                owner = owners.get((index, seq.mcid))
                if owner is None:
                    if (index, seq.mcid) in self.artifacts or (index, seq.mcid) in self.mapped:
                        subtype = self.artifacts.get((index, seq.mcid))
                        if subtype is None and (index, seq.mcid) not in self.artifacts:
                            subtype = "header" if (seq.y or 0) > height / 2 else "footer"
                        props = Dictionary(Type=Name.Pagination)
                        if subtype == "header":
                            props.Subtype = Name.Header
                        elif subtype == "footer":
                            props.Subtype = Name.Footer
                        self.replace(
                            index,
                            seq.begin,
                            ContentStreamInstruction([Name.Artifact, props], Operator("BDC")),
                        )
                    continue  # content from elsewhere (not ours): left for check() to report
                if seq.mcid in renumbered:
                    new = renumbered[seq.mcid]
                else:
                    new = renumbered[seq.mcid] = len(array)
                    array.append(owner[0])
                    elem, position = owner
                    kid = elem.K[position]
                    if isinstance(kid, int):
                        elem.K[position] = new
                    else:
                        kid.MCID = new
                if new != seq.mcid:
                    operands = list(self.ops(index)[seq.begin].operands)
                    props = _properties(operands, page.get("/Resources"))
                    props = Dictionary(dict(props.items())) if props else Dictionary()
                    props.MCID = new
                    self.replace(
                        index,
                        seq.begin,
                        ContentStreamInstruction([operands[0], props], Operator("BDC")),
                    )
            if array:
                page.StructParents = index
                entries[index] = Array(array)
            elif "/StructParents" in page:
                del page["/StructParents"]
        key = len(self.pages)
        for page in self.pages:
            for annotation in page.get("/Annots", Array()):
                if not _is_dict(annotation) or not annotation.is_indirect:
                    continue
                owner = owners.get(("annot", _key(annotation)))
                if owner is None:
                    if "/StructParent" in annotation:
                        del annotation["/StructParent"]
                    continue
                annotation.StructParent = key
                entries[key] = owner[0]
                key += 1
        nums = Array()
        for number in sorted(entries):
            nums.extend([number, entries[number]])
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=nums))
        self.root.ParentTreeNextKey = key
        ids = sorted((bytes(elem.ID), elem) for elem, _parent in self.walk() if "/ID" in elem)
        if ids:
            tree = Array()
            for name, elem in ids:
                tree.extend([String(name), elem])
            self.root.IDTree = self.pdf.make_indirect(Dictionary(Names=tree))
        elif "/IDTree" in self.root:
            del self.root["/IDTree"]
        self.flush()


def _page_height(page) -> float:
    box = _numbers(page.get("/MediaBox", Array([0, 0, 595, 842])))
    return abs(box[3] - box[1]) if box and len(box) == 4 else 842.0


def _rows(table) -> list[tuple[str, Dictionary]]:
    rows = []
    for kid in _kids(table):
        if not _is_elem(kid):
            continue
        if _tag(kid) in _TABLE_PARTS:
            rows.extend((_tag(kid), tr) for tr in _kids(kid) if _is_elem(tr) and _tag(tr) == "/TR")
        elif _tag(kid) == "/TR":
            rows.append(("/TBody", kid))
    return rows


def _row_elements(parent) -> list:
    return [kid for kid in _kids(parent) if _is_elem(kid) and _tag(kid) == "/TR"]


def _row_signature(tr) -> tuple:
    return tuple(
        (_tag(cell), _span(cell, "/ColSpan"), _span(cell, "/RowSpan"))
        for cell in _kids(tr)
        if _is_elem(cell) and _tag(cell) in _CELLS
    )


def _grid(rows) -> tuple[int, dict]:
    """The table's width and, by object number, each cell's (element, row, column, rowspan,
    colspan)."""
    taken: set[tuple[int, int]] = set()
    cells: dict = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in _kids(tr):
            if not _is_elem(cell) or _tag(cell) not in _CELLS:
                continue
            while (r, c) in taken:
                c += 1
            rs, cs = _span(cell, "/RowSpan"), _span(cell, "/ColSpan")
            taken.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
            cells[_key(cell)] = (cell, r, c, rs, cs)
            c += cs
            width = max(width, c)
    return width, cells


def _continues(first: _Fragment, previous: _Fragment, fragment: _Fragment) -> bool:
    """True when `fragment` starts the next page right where `previous` (a fragment of the
    table `first` began) ended: nothing read in between, as wide, with the table's head
    repeated (same cells, same text) or no head (WeasyPrint drops it on a page where a row
    taller than the page is cut), and with rows of its own."""
    return (
        previous.last is not None
        and fragment.first is not None
        and fragment.first == previous.last + 1
        and fragment.first_page == previous.last_page + 1
        and fragment.width == first.width
        and (
            not fragment.head_signature
            or (
                fragment.head_signature == first.head_signature
                and fragment.head_text == first.head_text
            )
        )
        and bool(_body(fragment))
    )


def _plan(
    fragments: list[_Fragment], html: _Html | None
) -> list[tuple[list[_Fragment], _HtmlTable | None]]:
    """Which fragments are one table: chains of fragments that continue one another (by the
    PDF's evidence, see `_continues`), cut where the HTML says one table ends and the next
    begins; each with its HTML table when one matches."""
    tables = html.tables if html is not None else []
    pointer = 0
    plan = []
    for chain in _chains(fragments):
        while chain:
            found = next(
                (
                    (index, tables[index])
                    for index in range(pointer, len(tables))
                    if _starts_with(tables[index].rows, chain[0].signature)
                ),
                None,
            )
            if found is None:
                plan.append((chain, None))
                break
            index, table = found
            pointer = index + 1
            cut, rows = len(chain), list(chain[0].signature)
            following = tables[index + 1] if index + 1 < len(tables) else None
            for position in range(1, len(chain)):
                if (
                    rows == table.rows
                    and following is not None
                    and _starts_with(following.rows, chain[position].signature)
                ):
                    cut = position
                    break
                rows += _body(chain[position])
            plan.append((chain[:cut], table))
            chain = chain[cut:]
    return plan


def _chains(fragments: list[_Fragment]) -> list[list[_Fragment]]:
    chains: list[list[_Fragment]] = []
    for fragment in fragments:
        if chains and _continues(chains[-1][0], chains[-1][-1], fragment):
            chains[-1].append(fragment)
        else:
            chains.append([fragment])
    return chains


def _body(fragment: _Fragment) -> list[tuple]:
    return [row for row in fragment.signature if row[0] != "/THead"]


def _lasts(chain: list[_Fragment]):
    """(body of each continuing fragment, last row signature before it)."""
    last = chain[0].signature[-1] if chain[0].signature else None
    for fragment in chain[1:]:
        body = _body(fragment)
        yield body, last
        last = body[-1] if body else last


def _starts_with(rows: list, prefix: list) -> bool:
    return rows[: len(prefix)] == prefix


def _readable(text: str, names: Mapping | None = None) -> bool:
    text = text.strip()
    if not text or (names and text in names):
        return False
    return not _ID_LIKE.fullmatch(text)


# --- The API ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enclosure:
    """An uploaded PDF to draw onto the main document's placeholder pages from `first_page`
    (1-based), tagged as one Figure whose alternative text names it."""

    first_page: int
    data: bytes
    title: str


def postprocess(
    pdf: bytes, *, html: str | None = None, link_texts: Mapping[str, str] | None = None
) -> bytes:
    """Repair WeasyPrint's tagging (see the module docstring) and write PDF 1.7.

    `html` is the HTML the PDF was rendered from: TH scopes, layout tables (role="presentation")
    and tables across pages are read from it. `link_texts` maps an anchor id to the /Contents
    of links to it, used as given but for "{page}", which becomes the target's page number
    ("Ärende 2, sida {page}");
    other internal links get the HTML link's name (aria-label, title or text) and ", sida N",
    or "Gå till sida N"; web links "Länk till <address>". Safe to run twice and after `splice`.
    """
    with pikepdf.open(io.BytesIO(pdf)) as document:
        doc = _Doc(document)
        parsed = _parse_html(html) if html else None
        if doc.root is not None:
            doc.flatten_nested_links()
            groups = doc.group_tables(parsed)
            number = 0
            for group in groups:
                table = group.fragments[0].table
                has_th = any(
                    _tag(cell) == "/TH"
                    for _g, tr in _rows(table)
                    for cell in _kids(tr)
                    if _is_elem(cell)
                )
                layout = (
                    group.html.role in ("presentation", "none")
                    if group.html is not None
                    else not has_th
                )
                if layout:
                    doc.retag_layout(table)
                else:
                    number += 1
                    doc.set_headers(number, table, group.html)
            doc.fix_links(link_texts, parsed)
            doc.finalize()
        return _save(document)


def splice(main: bytes, enclosures: Sequence[Enclosure]) -> bytes:
    """Draw each enclosure's pages onto its placeholder pages, scaled to fit and centred (as
    `solna_sn.lib.pdf.splice` does), as tagged content: one Figure per enclosure, with
    /Alt "Bifogad handling: <titel>, inskannad, N sidor" (or, for a file with text, that it has
    no tags), its marked content (MCIDs from its own, discarded structure tree) removed, its web
    links tagged with readable /Contents, and the placeholder elements removed. Each enclosure
    is cleaned again first (`sanitize_pdf`). Writes PDF 1.7; run `postprocess` after it.

    Raises `PdfError` (Swedish) for an enclosure that is not a usable PDF, one with more pages
    than there are pages from its `first_page`, or a main document without structure tree."""
    if not enclosures:
        return main
    with pikepdf.open(io.BytesIO(main)) as document:
        doc = _Doc(document)
        for number, enclosure in enumerate(enclosures, start=1):
            clean = pdflib.sanitize_pdf(enclosure.data, max_pages=None)
            with pikepdf.open(io.BytesIO(clean.data)) as source:
                _place(doc, source, enclosure, number)
        doc.finalize()
        return _save(document)


def _place(doc: _Doc, source: pikepdf.Pdf, enclosure: Enclosure, number: int) -> None:
    count = len(source.pages)
    first = enclosure.first_page - 1
    if first < 0 or first + count > len(doc.pages):
        raise pdflib.PdfError(
            f"Bilagan ”{enclosure.title}” har {count} sidor men dokumentet har inte platser för "
            f"dem från sidan {enclosure.first_page}."
        )
    scanned = not any(_shows_text(page.obj) for page in source.pages)
    pages_text = f"{count} sid{'a' if count == 1 else 'or'}"
    if scanned:
        alt = f"Bifogad handling: {enclosure.title}, inskannad, {pages_text}."
    else:
        alt = (
            f"Bifogad handling: {enclosure.title}, {pages_text}. Den bifogade filen saknar "
            "taggar för skärmläsare."
        )
    container, parent = _placeholder(doc, first)
    figure = None
    links = []
    for offset, source_page in enumerate(source.pages):
        index = first + offset
        target = document_page = doc.pdf.pages[index]
        formx = doc.pdf.copy_foreign(source_page.as_form_xobject())
        _strip_marked_content(formx, doc.pdf)
        name = target.add_resource(formx, Name.XObject, prefix=f"Bilaga{number}x")
        bbox = _numbers(formx.BBox)
        matrix = _numbers(formx.get("/Matrix", Array([1, 0, 0, 1, 0, 0])))
        corners = [_mul((1, 0, 0, 1, x, y), matrix)[4:] for x in bbox[0::2] for y in bbox[1::2]]
        left, bottom = min(x for x, _ in corners), min(y for _, y in corners)
        width = max(x for x, _ in corners) - left
        height = max(y for _, y in corners) - bottom
        box = _numbers(document_page.mediabox)
        target_width, target_height = box[2] - box[0], box[3] - box[1]
        scale = min(target_width / width, target_height / height, 1.0)
        dx = box[0] + (target_width - width * scale) / 2 - left * scale
        dy = box[1] + (target_height - height * scale) / 2 - bottom * scale
        place = (scale, 0.0, 0.0, scale, dx, dy)
        mcid = 1 + max((s.mcid for s in doc.scan(index).seqs if s.mcid is not None), default=-1)
        if figure is None:
            figure = doc.new_elem("/Figure", container, index, Alt=String(alt))
            figure.A = Dictionary(
                O=Name.Layout,
                BBox=Array([dx + left * scale, dy + bottom * scale,
                            dx + (left + width) * scale, dy + (bottom + height) * scale]),
            )  # fmt: skip
        figure.K.append(Dictionary(Type=Name.MCR, Pg=target.obj, MCID=mcid))
        matrix_text = " ".join(f"{value:.6f}" for value in place)
        target.contents_add(b"q\n", prepend=True)
        target.contents_add(
            f"\nQ\n/Figure <</MCID {mcid}>> BDC\nq\n{matrix_text} cm\n{name} Do\nQ\nEMC\n".encode()
        )
        doc._ops.pop(index, None)
        doc._scans.pop(index, None)
        doc.mapped.add((index, mcid))
        for annotation in source_page.obj.get("/Annots", Array()):
            if not _is_dict(annotation) or annotation.get("/Subtype") != Name.Link:
                continue  # comments and other markup on an upload are not carried over
            for key in ("/P", "/Popup", "/Parent", "/StructParent", "/QuadPoints"):
                if key in annotation:
                    del annotation[key]  # our own opened copy: no page comes along
            copy = doc.pdf.copy_foreign(annotation)
            rect = _numbers(copy.Rect)
            points = [
                _mul(_mul((1, 0, 0, 1, x, y), matrix), place)[4:]
                for x in rect[0::2]
                for y in rect[1::2]
            ]
            copy.Rect = Array([min(p[0] for p in points), min(p[1] for p in points),
                               max(p[0] for p in points), max(p[1] for p in points)])  # fmt: skip
            copy.P = target.obj
            action = copy.get("/A")
            uri = str(action.get("/URI", "")) if _is_dict(action) else ""
            copy.Contents = String(f"Länk till {uri} i bilagan" if uri else "Länk i bilagan")
            annotations = target.obj.get("/Annots")
            if not isinstance(annotations, Array):
                target.obj.Annots = annotations = Array()
            annotations.append(copy)
            target.obj.Tabs = Name.S
            link = doc.new_elem("/Link", container, index)
            link.K.append(Dictionary(Type=Name.OBJR, Obj=copy, Pg=target.obj))
            links.append(link)
    del parent
    container.K = Array([*_kids(container), figure, *links])


def _placeholder(doc: _Doc, page: int) -> tuple[Dictionary, Dictionary | None]:
    """The element the enclosure goes into: the placeholder's empty element on its first page
    (WeasyPrint writes one for the `.insert-page` div), else the document element."""
    if doc.root is None:
        raise pdflib.PdfError("Dokumentet saknar strukturträd.")
    for elem, parent in doc.walk():
        if doc.page_of(elem) == page and not _kids(elem) and _tag(elem) not in _KEEP_EMPTY:
            return elem, parent
    documents = doc.document_elements()
    if not documents:
        element = doc.new_elem("/Document", doc.root)
        doc.root.K = Array([element])
        return element, None
    return documents[0], None


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


# --- The check ----------------------------------------------------------------------------------


def check(pdf: bytes, *, html: str | None = None) -> list[str]:
    """Structural PDF/UA-1 problems in `pdf`, one English sentence each; empty when none.

    With the `html` it was rendered from, two tables the HTML has as two (say, with a page
    break between them and the same head) are not taken for one table across pages."""
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        _check_document(document, problems, _parse_html(html) if html else None)
    return problems


def _check_document(document: pikepdf.Pdf, problems: list[str], html: _Html | None) -> None:
    root = document.Root
    version = _version(document)
    if version < (1, 7):
        problems.append(f"PDF version is {version[0]}.{version[1]}, not 1.7 or later.")
    mark_info = root.get("/MarkInfo")
    if not (_is_dict(mark_info) and mark_info.get("/Marked") is True):
        problems.append("The document is not marked as tagged (/MarkInfo /Marked true).")
    preferences = root.get("/ViewerPreferences")
    if not (_is_dict(preferences) and preferences.get("/DisplayDocTitle") is True):
        problems.append("The viewer is not told to show the title (/DisplayDocTitle true).")
    title = document.docinfo.get("/Title") if document.trailer.get("/Info") is not None else None
    if not str(title or "").strip():
        problems.append("The document has no /Title.")
    if not str(root.get("/Lang", "")).strip():
        problems.append("The document has no /Lang.")
    _check_metadata(root, problems)
    _check_fonts(document, problems)
    if root.get("/StructTreeRoot") is None:
        problems.append("The document has no structure tree (/StructTreeRoot).")
        return
    doc = _Doc(document)
    _check_tree(doc, problems, html)
    _check_content(doc, problems)
    _check_annotations(doc, problems)


def _check_metadata(root, problems: list[str]) -> None:
    metadata = root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        problems.append("The document has no XMP metadata.")
        return

    try:
        tree = ElementTree.fromstring(metadata.read_bytes())
    except ElementTree.ParseError:
        problems.append("The XMP metadata is not well-formed XML.")
        return
    part = None
    title = ""
    for element in tree.iter():
        part = part or element.get(f"{{{XMP_PDFUA}}}part")
        if element.tag == f"{{{XMP_PDFUA}}}part":
            part = part or (element.text or "").strip()
        if element.tag == f"{{{XMP_DC}}}title":
            title = title or " ".join("".join(element.itertext()).split())
    if not part:
        problems.append("The XMP metadata has no PDF/UA identifier (pdfuaid:part).")
    if not title:
        problems.append("The XMP metadata has no dc:title.")


def _font_embedded(font) -> bool:
    subtype = font.get("/Subtype")
    if subtype == Name.Type3:
        return True
    if subtype == Name.Type0:
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, Array) or not len(descendants):
            return False
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    return _is_dict(descriptor) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _check_fonts(document: pikepdf.Pdf, problems: list[str]) -> None:
    missing: set[str] = set()
    seen: set = set()
    stack = []
    for page in document.pages:
        stack.append(page.obj.get("/Resources"))
        for annotation in page.obj.get("/Annots", Array()):
            appearance = annotation.get("/AP") if _is_dict(annotation) else None
            if _is_dict(appearance):
                stack.extend(v for v in appearance.values())
    while stack:
        item = stack.pop()
        if item is None or not isinstance(item, Dictionary | pikepdf.Stream):
            continue
        if item.is_indirect:
            if _key(item) in seen:
                continue
            seen.add(_key(item))
        if isinstance(item, pikepdf.Stream):
            stack.append(item.get("/Resources"))
            continue
        if "/Font" in item or "/XObject" in item:  # a resource dictionary
            fonts = item.get("/Font")
            if _is_dict(fonts):
                for font in fonts.values():
                    if not _is_dict(font):
                        continue
                    if not _font_embedded(font):
                        missing.add(str(font.get("/BaseFont", "?")))
                    if font.get("/Subtype") == Name.Type3:
                        stack.append(font.get("/Resources"))
            xobjects = item.get("/XObject")
            if _is_dict(xobjects):
                stack.extend(xobjects.values())
        else:  # appearance dictionaries: /N /R /D streams or sub-dictionaries of states
            stack.extend(item.values())
    for name in sorted(missing):
        problems.append(f"Font {name} is not embedded.")


def _check_tree(doc: _Doc, problems: list[str], html: _Html | None) -> None:
    previous = 0
    tables_without_th = 0
    th_without_scope = 0
    figures_without_alt = 0
    ids: set[bytes] = set()
    headers_used: list[bytes] = []
    for elem, _parent in doc.walk():
        tag = _tag(elem)
        if match := _HEADING.fullmatch(tag):
            level = int(match.group(1))
            if previous == 0 and level != 1:
                problems.append(f"The first heading is {tag[1:]}, not H1.")
            elif level > previous + 1 and previous:
                problems.append(f"Heading {tag[1:]} follows H{previous}: a level is skipped.")
            previous = level
        elif tag == "/Table":
            if not any(
                _tag(cell) == "/TH"
                for _g, tr in _rows(elem)
                for cell in _kids(tr)
                if _is_elem(cell)
            ):
                tables_without_th += 1
        elif tag == "/TH":
            if _table_attr(elem, "/Scope") not in (Name.Row, Name.Column, Name.Both):
                th_without_scope += 1
        elif tag == "/Figure" and not str(elem.get("/Alt", elem.get("/ActualText", ""))).strip():
            figures_without_alt += 1
        if "/ID" in elem:
            ids.add(bytes(elem.ID))
        if tag == "/TD":
            headers = _table_attr(elem, "/Headers")
            if isinstance(headers, Array):
                headers_used.extend(bytes(h) for h in headers if isinstance(h, String))
    if th_without_scope:
        problems.append(f"{th_without_scope} TH element(s) have no /Scope.")
    if tables_without_th:
        problems.append(
            f"{tables_without_th} Table element(s) have no TH (layout tables tagged as data "
            "tables?)."
        )
    if figures_without_alt:
        problems.append(f"{figures_without_alt} Figure element(s) have no /Alt.")
    unknown = sorted({h for h in headers_used if h not in ids})
    if unknown:
        problems.append(f"TD /Headers name {len(unknown)} ID(s) no TH has.")
    if ids and "/IDTree" not in doc.root:
        problems.append("Structure elements have IDs but the structure tree has no /IDTree.")
    for chain, _table in _plan(doc.fragments(), html):
        for fragment in chain[1:]:
            problems.append(
                f"The table continued on page {fragment.first_page + 1} is a separate Table "
                "element (one table across pages must be one Table with one THead)."
            )


def _check_content(doc: _Doc, problems: list[str]) -> None:
    reachable = {_key(elem) for elem, _parent in doc.walk()}
    owners = doc.owners()
    for number, entry in sorted(doc.parent_tree.items()):
        if isinstance(entry, Array):
            if not len(entry):
                problems.append(f"The ParentTree entry {number} is empty.")
            elif any(not _is_dict(e) for e in entry):
                problems.append(f"The ParentTree entry {number} has empty MCID slots.")
    for index, page in enumerate(doc.pages):
        scan = doc.scan(index)
        label = f"page {index + 1}"
        if scan.unbalanced:
            problems.append(f"Marked content on {label} is not balanced (BDC/EMC).")
        if scan.untagged:
            problems.append(
                f"{label.capitalize()} has {scan.untagged} drawing operation(s) that are "
                "neither tagged nor an artifact."
            )
        mcids = [seq for seq in scan.seqs if seq.mcid is not None]
        if any(seq.inside_mcid for seq in mcids):
            problems.append(f"Marked content on {label} nests one MCID inside another.")
        if not mcids:
            continue
        entry = doc.parent_tree.get(page.get("/StructParents"))
        if not isinstance(entry, Array):
            problems.append(f"{label.capitalize()} has marked content but no ParentTree entry.")
            continue
        unmapped = orphaned = 0
        for seq in mcids:
            elem = entry[seq.mcid] if seq.mcid < len(entry) else None
            if not _is_dict(elem):
                unmapped += 1
            elif _key(elem) not in reachable or owners.get((index, seq.mcid), (None,))[0] is None:
                orphaned += 1
        if unmapped:
            problems.append(
                f"{label.capitalize()} has {unmapped} marked-content sequence(s) the ParentTree "
                "does not map (untagged content)."
            )
        if orphaned:
            problems.append(
                f"{label.capitalize()} has {orphaned} marked-content sequence(s) whose element "
                "is not in the structure tree (page furniture that should be an artifact?)."
            )
    present = {
        (index, seq.mcid)
        for index in range(len(doc.pages))
        for seq in doc.scan(index).seqs
        if seq.mcid is not None
    }
    dangling = [key for key in owners if key[0] != "annot" and key not in present]
    if dangling:
        problems.append(f"{len(dangling)} structure content item(s) name MCIDs no page has.")


def _check_annotations(doc: _Doc, problems: list[str]) -> None:
    owners = doc.owners()
    names = doc.destinations()
    for index, page in enumerate(doc.pages):
        annotations = page.get("/Annots")
        if not isinstance(annotations, Array) or not len(annotations):
            continue
        where = f"Page {index + 1}"
        if page.get("/Tabs") != Name.S:
            problems.append(f"{where} has annotations but no /Tabs /S.")
        no_parent, outside, unreadable = 0, 0, []
        for annotation in annotations:
            if not _is_dict(annotation) or annotation.get("/Subtype") == Name.Popup:
                continue
            number = annotation.get("/StructParent")
            owner = owners.get(("annot", _key(annotation))) if annotation.is_indirect else None
            entry = doc.parent_tree.get(number) if isinstance(number, int) else None
            if not isinstance(number, int):
                no_parent += 1
            elif owner is None or not (_is_dict(entry) and _key(entry) == _key(owner[0])):
                outside += 1
            contents = str(annotation.get("/Contents", ""))
            if not _readable(contents, names):
                unreadable.append(contents)
        if no_parent:
            problems.append(f"{where} has {no_parent} annotation(s) without /StructParent.")
        if outside:
            problems.append(f"{where} has {outside} annotation(s) not in the structure tree.")
        if unreadable:
            examples = ", ".join(repr(text) for text in sorted(set(unreadable))[:3])
            problems.append(
                f"{where} has {len(unreadable)} annotation(s) without readable /Contents "
                f"(such as {examples})."
            )
