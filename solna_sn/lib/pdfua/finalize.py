"""The last repair: marked content renumbered per page, content whose element left the tree
made an artifact, and a new ParentTree, /P on every element and an /IDTree."""

from __future__ import annotations

from pikepdf import Array, Dictionary, Name, String

from .common import _KEEP_EMPTY, _is_dict, _key, _numbers
from .tree import _BDC, _Doc, _Instruction, _Ref


def _prune_empty(doc: _Doc) -> None:
    """Remove elements left without content (children first, so a parent emptied by
    that goes too), except table cells, rows and parts, and Figures."""
    for elem, parent in reversed(list(doc.walk())):
        if elem.tag not in _KEEP_EMPTY and not elem.kids:
            doc.detach(elem, parent)


def _finalize(doc: _Doc) -> None:
    """Renumber marked content per page, turn content whose element left the tree into
    artifacts, and write a ParentTree with no empty entry, /P on every element and an
    /IDTree."""
    _prune_empty(doc)
    elements = list(doc.walk())
    for elem, parent in elements:
        elem.obj.P = parent.obj if parent is not None else doc.root
    owners = doc.owners()
    entries: dict[int, object] = {}
    for index, page in enumerate(doc.pages):
        _renumber(doc, index, page, owners, entries)
    key = len(doc.pages)
    for page in doc.pages:
        for annotation in page.get("/Annots", Array()):
            if not _is_dict(annotation) or not annotation.is_indirect:
                continue
            owner = owners.get(("annot", _key(annotation)))
            if owner is None:
                if "/StructParent" in annotation:
                    del annotation["/StructParent"]
                continue
            annotation.StructParent = key
            entries[key] = owner[0].obj
            key += 1
    nums = []
    for number in sorted(entries):
        nums.extend([number, entries[number]])
    doc.root.ParentTree = doc.pdf.make_indirect(Dictionary(Nums=Array(nums)))
    doc.root.ParentTreeNextKey = key
    ids = sorted((bytes(elem.obj.ID), elem) for elem, _parent in doc.walk() if "/ID" in elem.obj)
    if ids:
        tree = []
        for name, elem in ids:
            tree.extend([String(name), elem.obj])
        doc.root.IDTree = doc.pdf.make_indirect(Dictionary(Names=Array(tree)))
    elif "/IDTree" in doc.root:
        del doc.root["/IDTree"]
    doc.flush()


def _renumber(doc: _Doc, index: int, page, owners: dict, entries: dict) -> None:
    """One page of `finalize`: MCIDs in the order the page draws them, an artifact for
    content no element owns that was tagged."""
    scan = doc.scan(index)
    ops = doc.ops(index)
    replaced = False
    height = None
    renumbered: dict[int, int] = {}
    array: list = []
    for seq in scan.seqs:
        if seq.mcid is None:
            continue
        owner = owners.get((index, seq.mcid))
        if owner is None:
            if (index, seq.mcid) in doc.artifacts or (index, seq.mcid) in doc.mapped:
                subtype = doc.artifacts.get((index, seq.mcid))
                if subtype is None and (index, seq.mcid) not in doc.artifacts:
                    if height is None:
                        height = _page_height(page)
                    subtype = "header" if (seq.device_y() or 0) > height / 2 else "footer"
                props = {"/Type": Name.Pagination}
                if subtype == "header":
                    props["/Subtype"] = Name.Header
                elif subtype == "footer":
                    props["/Subtype"] = Name.Footer
                ops[seq.begin] = _Instruction([Name.Artifact, props], _BDC)
                replaced = True
            continue  # content from elsewhere (not ours): left for check() to report
        if seq.mcid in renumbered:
            new = renumbered[seq.mcid]
        else:
            new = renumbered[seq.mcid] = len(array)
            elem, position = owner
            array.append(elem.obj)
            kid = elem.kids[position]
            if type(kid) is _Ref:
                kid.obj = doc.karray(elem)[position]
                kid.obj.MCID = new
                kid.mcid = new
            else:
                doc.karray(elem)[position] = new
                elem.kids[position] = new
        if new != seq.mcid:
            # The sequence's own operands and properties, as the scan read them from the
            # instruction (a sequence with an MCID has properties with /MCID).
            props = (
                {"/MCID": new} if len(seq.props) == 1 else {**dict(seq.props.items()), "/MCID": new}
            )
            ops[seq.begin] = _Instruction([seq.operands[0], props], _BDC)
            replaced = True
    if replaced:
        doc._dirty.add(index)
        doc._scans.pop(index, None)
    if array:
        page.StructParents = index
        entries[index] = Array(array)
    elif "/StructParents" in page:
        del page["/StructParents"]


def _page_height(page) -> float:
    box = _numbers(page.get("/MediaBox", Array([0, 0, 595, 842])))
    return abs(box[3] - box[1]) if box and len(box) == 4 else 842.0
