"""Links: a Link in a Link (a ::after pseudo element) flattened, and readable /Contents on
every link annotation."""

from __future__ import annotations

from collections.abc import Mapping

import pikepdf
from pikepdf import Array, Name, String

from .common import _is_dict, _key, _readable
from .tree import _Doc, _Node


def _flatten_nested_links(doc: _Doc) -> None:
    """A link and its ::after pseudo element: WeasyPrint writes a Link inside a Link."""
    nested = [
        (elem, parent)
        for elem, parent in doc.walk()
        if parent is not None and elem.tag == "/Link" and parent.tag == "/Link"
    ]
    for elem, parent in nested:
        while parent.tag == "/Link" and (grand := doc.parent_node(parent)) is not None:
            if grand.tag != "/Link":
                break
            parent = grand  # a Link in a Link in a Link: all into the outermost
        moved = []
        for kid in elem.kids:
            if isinstance(kid, int) and elem.page != parent.page:
                kid = doc.mcr(elem, kid)
            if type(kid) is _Node:
                kid.obj.P = parent.obj
            moved.append(kid)
        kids = []
        for kid in parent.kids:
            if type(kid) is _Node and kid.key == elem.key:
                kids.extend(moved)
            else:
                kids.append(kid)
        doc.set_kids(parent, kids)


def _fix_links(doc: _Doc, link_texts: Mapping[str, str] | None, html) -> None:
    names = _destinations(doc)
    for page in doc.pages:
        annotations = page.get("/Annots")
        if not isinstance(annotations, Array) or not len(annotations):
            continue
        page.Tabs = Name.S
        for annotation in annotations:
            if not _is_dict(annotation) or annotation.get("/Subtype") != Name.Link:
                continue
            anchor, target_page, uri = _link_target(doc, annotation, names)
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


def _destinations(doc: _Doc) -> dict[str, object]:
    names: dict[str, object] = {}
    root_names = doc.pdf.Root.get("/Names")
    if _is_dict(root_names) and _is_dict(root_names.get("/Dests")):
        for name, dest in pikepdf.NameTree(root_names.Dests).items():
            names[str(name)] = dest
    dests = doc.pdf.Root.get("/Dests")
    if _is_dict(dests):
        for name, dest in dests.items():
            names.setdefault(name[1:], dest)
    return names


def _link_target(doc: _Doc, annotation, names) -> tuple[str | None, int | None, str | None]:
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
        index = doc.page_no.get(_key(dest[0]))
        page = index + 1 if index is not None else None
    return anchor, page, uri
