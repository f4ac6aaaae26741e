"""Tables: WeasyPrint's per-page fragments joined into one table, layout tables read as text,
and TH scopes, IDs and TD /Headers from the grid."""

from __future__ import annotations

from dataclasses import dataclass, field

from pikepdf import Array, Dictionary, Name, String

from .common import _BLOCKS, _CELLS, _TABLE_PARTS, _is_dict, _table_attr_in
from .html import _Html, _HtmlTable
from .tree import _UNREAD, _Doc, _Node


@dataclass
class _Fragment:
    """A Table element as WeasyPrint wrote it, with what the merge decision needs (taken before
    anything is changed)."""

    table: _Node
    rows: list[tuple[str, _Node]]  # (group tag, TR) in order
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


def _is_node(kid) -> bool:
    return type(kid) is _Node  # a structure element (other kids: MCIDs and references)


def _fragments(doc: _Doc) -> list[_Fragment]:
    order = doc.reading_order()
    position = {item: index for index, item in enumerate(order)}
    fragments = []
    for elem, _parent in doc.walk():
        if elem.tag != "/Table":
            continue
        rows = _rows(elem)
        items = [item for item in doc.reading_order(elem) if item[0] == "mc"]
        head = [tr for group, tr in rows if group == "/THead"]
        head_text = []
        for tr in head:
            for item in doc.reading_order(tr):
                if item[0] == "mc":
                    head_text.extend(doc.text_of(item[1], item[2]))
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


def _group_tables(doc: _Doc, html: _Html | None) -> list[_Group]:
    """The document's tables, each merged into its first fragment (see `_plan`)."""
    return [_merge_chain(doc, chain, table) for chain, table in _plan(_fragments(doc), html)]


def _merge_chain(doc: _Doc, chain: list[_Fragment], html: _HtmlTable | None) -> _Group:
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
        _merge(doc, group, fragment, join=join)
        group.signature += body[1:] if join else body
    group.html = html if html is not None and html.rows == group.signature else None
    return group


def _merge(doc: _Doc, group: _Group, fragment: _Fragment, *, join: bool) -> None:
    """Move a continued table's rows into the table it continues; its repeated head (and a
    repeated foot) becomes an artifact."""
    table = group.fragments[0].table
    group.fragments.append(fragment)
    parent = doc.parent_node(fragment.table)
    kids = fragment.table.kids
    heads = [kid for kid in kids if _is_node(kid) and kid.tag == "/THead"]
    for head in heads:
        doc.to_artifact(head)
    bodies = [kid for kid in kids if _is_node(kid) and kid.tag == "/TBody"]
    feet = [kid for kid in kids if _is_node(kid) and kid.tag == "/TFoot"]
    rest = [kid for kid in kids if _is_node(kid) and kid.tag not in _TABLE_PARTS]
    loose_rows = [kid for kid in rest if kid.tag == "/TR"]
    rest = [kid for kid in rest if kid.tag != "/TR"]
    table_kids = list(table.kids)
    old_feet = [kid for kid in table_kids if _is_node(kid) and kid.tag == "/TFoot"]
    if feet and old_feet:
        for foot in old_feet:
            doc.to_artifact(foot)
        table_kids = [k for k in table_kids if not (_is_node(k) and k.tag == "/TFoot")]
    target = next((k for k in reversed(table_kids) if _is_node(k) and k.tag == "/TBody"), table)
    new_rows = [*loose_rows, *(bodies[0].kids if bodies else [])]
    if join and new_rows:
        _join_rows(doc, _row_elements(target)[-1], new_rows.pop(0))
    for row in new_rows:
        if _is_node(row):
            row.obj.P = target.obj
    if target is table:
        table_kids.extend(new_rows)
    else:
        doc.set_kids(target, [*target.kids, *new_rows])
    index = next(
        (i for i, k in enumerate(table_kids) if _is_node(k) and k.tag == "/TFoot"),
        len(table_kids),
    )
    table_kids[index:index] = [*bodies[1:], *rest]
    table_kids.extend(feet)
    for kid in [*bodies[1:], *rest, *feet]:
        kid.obj.P = table.obj
    doc.set_kids(table, table_kids)
    doc.detach(fragment.table, parent)


def _join_rows(doc: _Doc, row: _Node, continued) -> None:
    """A row split across pages: the second part's cells go into the first part's."""
    cells = [c for c in row.kids if _is_node(c) and c.tag in _CELLS]
    more = [c for c in continued.kids if _is_node(c) and c.tag in _CELLS]
    for cell, rest in zip(cells, more, strict=False):
        moved = []
        for kid in rest.kids:
            if isinstance(kid, int) and rest.page != cell.page:
                kid = doc.mcr(rest, kid)
            if _is_node(kid):
                kid.obj.P = cell.obj
            moved.append(kid)
        doc.set_kids(cell, [*cell.kids, *moved])


def _retag_layout(doc: _Doc, table: _Node) -> None:
    """A layout table read as text: Table → Div, each row a P (a Div when a cell holds
    blocks), each cell a Span (or Div)."""
    doc.set_tag(table, Name.Div)
    _drop_table_keys(table)
    kids = []
    for kid in table.kids:
        if _is_node(kid) and kid.tag in _TABLE_PARTS:
            for row in kid.kids:
                if _is_node(row):
                    row.obj.P = table.obj
                kids.append(row)
        else:
            if _is_node(kid) and kid.tag == "/Caption":
                doc.set_tag(kid, Name.P)
            kids.append(kid)
    doc.set_kids(table, kids)
    for row in kids:
        if not _is_node(row) or row.tag != "/TR":
            continue
        cells = [c for c in row.kids if _is_node(c) and c.tag in _CELLS]
        blocks = any(_is_node(k) and k.tag in _BLOCKS for cell in cells for k in cell.kids)
        doc.set_tag(row, Name.Div if blocks else Name.P)
        for cell in cells:
            doc.set_tag(cell, Name.Div if blocks else Name.Span)
            _drop_table_keys(cell)


def _drop_table_keys(node: _Node) -> None:
    for key in ("/A", "/ID"):
        if key in node.obj:
            del node.obj[key]
    node.spans = None
    node.attrs = None


def _set_headers(number: int, table: _Node, html: _HtmlTable | None) -> None:
    """Scope on every TH (from the HTML's scope, else the HTML defaults), fresh IDs, and
    /Headers on every TD from the grid."""
    rows = _rows(table)
    _width, cells = _grid([tr for _g, tr in rows])
    scopes: dict[tuple, bool] = {}  # TH → a row header (else a column header)
    for r, (group, tr) in enumerate(rows):
        row_cells = [c for c in tr.kids if _is_node(c) and c.tag in _CELLS]
        has_td = any(c.tag == "/TD" for c in row_cells)
        for k, cell in enumerate(row_cells):
            if cell.tag != "/TH":
                continue
            declared = html.scopes[r][k] if html is not None else None
            if declared in ("col", "colgroup"):
                row_header = False
            elif declared in ("row", "rowgroup"):
                row_header = True
            else:
                row_header = not (group == "/THead" or not has_td)
            _cell_attrs(cell).Scope = Name.Row if row_header else Name.Column
            scopes[cell.key] = row_header
    slots: dict[tuple[int, int], _Node] = {}
    ids: dict[tuple, String] = {}
    for objgen, (elem, r, c, rs, cs) in cells.items():
        for dr in range(rs):
            for dc in range(cs):
                slots.setdefault((r + dr, c + dc), elem)
        if elem.tag == "/TH":
            ids[objgen] = elem.obj.ID = String(f"t{number}-{r}-{c}")
    # The header slots of each row (by column) and of each column (by row), in grid order.
    row_heads: dict[int, list] = {}
    column_heads: dict[int, list] = {}
    for (r, c), other in sorted(slots.items()):
        row_header = scopes.get(other.key)
        if row_header is not None:
            if row_header:
                row_heads.setdefault(r, []).append((c, other.key))
            else:
                column_heads.setdefault(c, []).append((r, other.key))
    for elem, r, c, rs, cs in cells.values():
        if elem.tag != "/TD":
            continue
        # Row headers left of it in its rows, then column headers above it in its columns.
        found = [key for rr in range(r, r + rs) for cc, key in row_heads.get(rr, ()) if cc < c]
        found += [key for cc in range(c, c + cs) for rr, key in column_heads.get(cc, ()) if rr < r]
        headers = [ids[key] for key in dict.fromkeys(found)]
        attrs = _cell_attrs(elem)
        if headers:
            attrs.Headers = Array(headers)
        elif "/Headers" in attrs:
            del attrs["/Headers"]


def _has_th(table: _Node) -> bool:
    return any(_is_node(cell) and cell.tag == "/TH" for _g, tr in _rows(table) for cell in tr.kids)


def _rows(table: _Node) -> list[tuple[str, _Node]]:
    rows = []
    for kid in table.kids:
        if not _is_node(kid):
            continue
        if kid.tag in _TABLE_PARTS:
            rows.extend((kid.tag, tr) for tr in kid.kids if _is_node(tr) and tr.tag == "/TR")
        elif kid.tag == "/TR":
            rows.append(("/TBody", kid))
    return rows


def _row_elements(parent: _Node) -> list[_Node]:
    return [kid for kid in parent.kids if _is_node(kid) and kid.tag == "/TR"]


def _spans(cell: _Node) -> tuple[int, int]:
    """The cell's (ColSpan, RowSpan), at least 1."""
    if cell.spans is None:
        if cell.attrs is _UNREAD:
            cell.attrs = cell.obj.get("/A")
        values = []
        for key in ("/ColSpan", "/RowSpan"):
            value = _table_attr_in(cell.attrs, key, 1)
            values.append(max(1, int(value)) if isinstance(value, int) else 1)
        cell.spans = (values[0], values[1])
    return cell.spans


def _cell_attrs(cell: _Node) -> Dictionary:
    """The cell's /A dictionary with /O /Table, created when missing."""
    attrs = cell.obj.get("/A") if cell.attrs is _UNREAD else cell.attrs
    cell.attrs = attrs
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
    cell.attrs = attr if attrs is None else Array([attrs, attr])
    cell.obj.A = cell.attrs
    return attr


def _row_signature(tr: _Node) -> tuple:
    return tuple(
        (cell.tag, *_spans(cell)) for cell in tr.kids if _is_node(cell) and cell.tag in _CELLS
    )


def _grid(rows) -> tuple[int, dict]:
    """The table's width and, by object number, each cell's (element, row, column, rowspan,
    colspan)."""
    taken: set[tuple[int, int]] = set()
    cells: dict = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.kids:
            if not _is_node(cell) or cell.tag not in _CELLS:
                continue
            while (r, c) in taken:
                c += 1
            cs, rs = _spans(cell)
            taken.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
            cells[cell.key] = (cell, r, c, rs, cs)
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
