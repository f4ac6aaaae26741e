"""The HTML side: the tables (row shapes, TH scopes, role) and the names of internal links of
the HTML a PDF was rendered from."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote
from xml.etree import ElementTree

from solna_sn.lib import html_tree


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


def _parse_html(html: str | None = None, tree: ElementTree.Element | None = None) -> _Html:
    """The tables and link names of the HTML: of `tree`, the parsed document (as WeasyPrint's
    `HTML.etree_element`, with or without the XHTML namespace), when given, else of `html`."""
    root = tree if tree is not None else html_tree.parse(html)
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
