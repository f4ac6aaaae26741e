"""The structural PDF/UA-1 check (no PDF/UA validator is installable here)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .common import _is_dict, _key, _readable, _table_attr, _version
from .html import _Html
from .links import _destinations
from .tables import _fragments, _has_th, _plan
from .tree import _Doc

XMP_PDFUA = "http://www.aiim.org/pdfua/ns/id/"
XMP_DC = "http://purl.org/dc/elements/1.1/"
_HEADING = re.compile(r"/H([1-6])")


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
    for node, _parent in doc.walk():
        tag = node.tag
        elem = node.obj
        if match := _HEADING.fullmatch(tag):
            level = int(match.group(1))
            if previous == 0 and level != 1:
                problems.append(f"The first heading is {tag[1:]}, not H1.")
            elif level > previous + 1 and previous:
                problems.append(f"Heading {tag[1:]} follows H{previous}: a level is skipped.")
            previous = level
        elif tag == "/Table":
            if not _has_th(node):
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
    for chain, _table in _plan(_fragments(doc), html):
        for fragment in chain[1:]:
            problems.append(
                f"The table continued on page {fragment.first_page + 1} is a separate Table "
                "element (one table across pages must be one Table with one THead)."
            )


def _check_content(doc: _Doc, problems: list[str]) -> None:
    reachable = {elem.key for elem, _parent in doc.walk()}
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
            elif _key(elem) not in reachable or (index, seq.mcid) not in owners:
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
    names = _destinations(doc)
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
            elif owner is None or not (_is_dict(entry) and _key(entry) == owner[0].key):
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
