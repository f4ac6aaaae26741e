"""The tagged document: the structure tree read once into Python (`_Node`), its pages' content,
and the repairs that are not about tables (nested links, link texts, the ParentTree).

Every access to a pikepdf object crosses into C++ and wraps the value, so the tree is read once
(each element's tag, page and kids) and then walked and changed in Python; the `_Doc` methods
that change an element write the dictionary and its `_Node` together."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Mapping

import pikepdf
from pikepdf import Array, ContentStreamInstruction, Dictionary, Name, Object, Operator, String

from .common import (
    _KEEP_EMPTY,
    _is_dict,
    _is_elem,
    _key,
    _numbers,
    _read_number_tree,
    _readable,
)
from .content import _Scan, _scan

_BDC = Operator("BDC")
_UNREAD = object()
# A replaced instruction: what unparse_content_stream takes besides its own instructions, and
# what `_scan` reads (a dictionary operand as a dict).
_Instruction = namedtuple("_Instruction", ["operands", "operator"])


class _Node:
    """A structure element: its dictionary, object key, tag (/S), page index (/Pg) and kids,
    each a `_Node`, an MCID (int) or a `_Ref`, as in its /K."""

    __slots__ = ("attrs", "karray", "key", "kids", "obj", "page", "spans", "tag")

    def __init__(self, obj, key) -> None:
        self.obj = obj
        self.key = key
        self.tag = ""
        self.page: int | None = None
        self.kids: list = []
        self.karray: Array | None = None  # its /K array, when read or written
        self.spans: tuple[int, int] | None = None  # (ColSpan, RowSpan), read when first asked
        self.attrs = _UNREAD  # its /A, once read (cells)


class _Ref:
    """A kid that is no element, as its /K holds it: a marked-content reference (its MCID, and
    whether it names its own page and which), an object reference (the annotation's key), or
    anything else (neither)."""

    __slots__ = ("annot", "mcid", "obj", "own_page", "page")

    def __init__(self, obj, mcid=None, own_page=False, page=None, annot=None) -> None:
        self.obj = obj
        self.mcid = mcid
        self.own_page = own_page
        self.page = page
        self.annot = annot


def _raw(kid):
    """What a mirrored kid is in the PDF."""
    if type(kid) is _Node or type(kid) is _Ref:
        return kid.obj
    return kid


def _is_node(kid) -> bool:
    return type(kid) is _Node


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
        self.nodes: dict[tuple[int, int], _Node] = {}
        self._walked: list | None = None  # `walk` while the tree is not changed
        self.top: list = []  # the root's kids
        self._read_tree()

    def _read_tree(self) -> None:
        """Read every element reachable from the root; give a direct element (allowed, rare)
        an object number, identity is the object number."""
        if self.root is None:
            return
        stack = [(self.root, None, _key(self.root))]
        seen: set = set()
        nodes, page_no = self.nodes, self.page_no
        while stack:
            obj, node, key = stack.pop()
            if key in seen:
                continue
            seen.add(key)
            kids = obj.get("/K")
            if node is not None:
                node.tag = str(obj.get("/S", ""))
                page = obj.get("/Pg")
                # A page is an indirect dictionary: no other object has its object key.
                node.page = page_no.get(page.objgen) if isinstance(page, Object) else None
            if kids is None:
                continue
            if not isinstance(kids, Array):
                kids = obj.K = Array([kids])
            if node is not None:
                node.karray = kids
            mirror = []
            for index, kid in enumerate(kids):
                if kid is None or isinstance(kid, int):  # an MCID, most kids
                    mirror.append(kid)
                elif isinstance(kid, Dictionary) and "/S" in kid:
                    kid_key = kid.objgen
                    if kid_key == (0, 0):  # direct
                        kid = kids[index] = self.pdf.make_indirect(kid)
                        kid_key = kid.objgen
                    kid_node = nodes.get(kid_key)
                    if kid_node is None:
                        kid_node = nodes[kid_key] = _Node(kid, kid_key)
                    mirror.append(kid_node)
                    stack.append((kid, kid_node, kid_key))
                else:
                    mirror.append(self._mirror_kid(kid))
            if node is None:
                self.top = mirror
            else:
                node.kids = mirror

    def node(self, obj) -> _Node:
        """The element's `_Node`; one read now when it is not in the tree read (a /P that
        points elsewhere)."""
        key = _key(obj)
        node = self.nodes.get(key)
        if node is None:
            node = _Node(obj, key)
            if obj.is_indirect:
                self.nodes[key] = node
        return node

    def _read_node(self, obj) -> _Node:
        """`node`, with tag, page and kids read for an element outside the tree read."""
        node = self.node(obj)
        if not node.tag and not node.kids:  # not read yet (or nothing to read)
            node.tag = str(obj.get("/S", ""))
            node.page = self.page_of(obj)
            kids = obj.get("/K")
            kids = [] if kids is None else list(kids) if isinstance(kids, Array) else [kids]
            node.kids = [self.node(k) if _is_elem(k) else self._mirror_kid(k) for k in kids]
        return node

    def _mirror_kid(self, kid):
        if kid is None or isinstance(kid, int):
            return kid
        if isinstance(kid, Dictionary):
            kind = kid.get("/Type")
            if kind == Name.MCR:
                mcid = kid.get("/MCID")
                if "/Stm" not in kid and isinstance(mcid, int):
                    own = "/Pg" in kid
                    return _Ref(kid, int(mcid), own, self.page_of(kid) if own else None)
            elif kind == Name.OBJR:
                target = kid.get("/Obj")
                if _is_dict(target):
                    return _Ref(kid, annot=_key(target))
        return _Ref(kid)

    # Changing elements: the dictionary and its node together

    def set_kids(self, node, kids: list) -> None:
        """New /K for an element (None: the root)."""
        kids = list(kids)
        array = Array([_raw(kid) for kid in kids])
        self._walked = None
        if node is None:
            self.root.K = array
            self.top = kids
        else:
            node.obj.K = node.karray = array
            node.kids = kids

    def append_kid(self, node: _Node, kid: Dictionary) -> None:
        """A marked-content or object reference appended to the element's /K."""
        self.karray(node).append(kid)
        node.kids = [*node.kids, self._mirror_kid(kid)]
        self._walked = None

    @staticmethod
    def karray(node: _Node) -> Array:
        if node.karray is None:
            node.karray = node.obj.K
        return node.karray

    def set_tag(self, node: _Node, tag: Name) -> None:
        node.obj.S = tag
        node.tag = str(tag)

    def mcr(self, owner: _Node, mcid) -> _Ref:
        """A marked-content reference to MCID `mcid` on `owner`'s page."""
        obj = Dictionary(Type=Name.MCR, Pg=owner.obj.Pg, MCID=mcid)
        return _Ref(obj, int(mcid), True, owner.page)

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
                pikepdf.unparse_content_stream(self._ops.pop(page))
            )
            self._scans.pop(page, None)
            self._texts.pop(page, None)
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
                mapped.update(
                    (index, mcid) for mcid, elem in enumerate(list(entry)) if _is_dict(elem)
                )
        return mapped

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

    # The structure tree

    def document_elements(self) -> list[_Node]:
        return [kid for kid in self.top if type(kid) is _Node]

    def walk(self) -> Iterator[tuple[_Node, _Node | None]]:
        """Every element reachable from the root, pre-order, with its parent."""
        if self._walked is None:
            self._walked = list(self._walk())
        return iter(self._walked)

    def _walk(self) -> Iterator[tuple[_Node, _Node | None]]:
        stack = [(kid, None) for kid in reversed(self.document_elements())]
        seen: set = set()
        while stack:
            elem, parent = stack.pop()
            if elem.key in seen:
                continue
            seen.add(elem.key)
            yield elem, parent
            stack += [(kid, elem) for kid in reversed(elem.kids) if type(kid) is _Node]

    @staticmethod
    def content(elem: _Node, kid) -> tuple | None:
        """A content item's key: ('mc', page, MCID) or ('annot', objgen)."""
        kind = type(kid)
        if kind is _Node or kid is None:
            return None
        if kind is _Ref:
            if kid.mcid is not None:
                page = kid.page if kid.own_page else elem.page
                return None if page is None else ("mc", page, kid.mcid)
            return None if kid.annot is None else ("annot", kid.annot)
        if isinstance(kid, int):
            return None if elem.page is None else ("mc", elem.page, int(kid))
        return None

    def reading_order(self, start: _Node | None = None) -> list[tuple]:
        """Content items in reading order, of the whole tree or of one element's subtree."""
        order = []
        stack = [iter([start] if start is not None else self.document_elements())]
        seen: set = set()
        owner: list = [None]
        content = self.content
        while stack:
            kid = next(stack[-1], None)
            if kid is None:
                stack.pop()
                owner.pop()
                continue
            if type(kid) is _Node:
                if kid.key in seen:
                    continue
                seen.add(kid.key)
                stack.append(iter(kid.kids))
                owner.append(kid)
            elif owner[-1] is not None and (item := content(owner[-1], kid)):
                order.append(item)
        return order

    def owners(self) -> dict[tuple, tuple[_Node, int]]:
        """(page, MCID) or annotation → (element, index in its /K) over the reachable tree."""
        owners: dict[tuple, tuple[_Node, int]] = {}
        content = self.content
        for elem, _parent in self.walk():
            for index, kid in enumerate(elem.kids):
                item = content(elem, kid)
                if item is not None:
                    owners.setdefault(item[1:] if item[0] == "mc" else item, (elem, index))
        return owners

    def detach(self, elem: _Node, parent: _Node | None) -> None:
        """Take `elem` out of `parent` (the root for None), or out of whichever element holds
        it when `parent` does not."""
        kids = self.top if parent is None else parent.kids
        kept = [kid for kid in kids if not (type(kid) is _Node and kid.key == elem.key)]
        if len(kept) == len(kids):
            holder = next((p for e, p in self.walk() if e.key == elem.key), False)
            if holder is not False and (holder is not None or parent is not None):
                self.detach(elem, holder)
            return
        self.set_kids(parent, kept)

    def parent_node(self, elem: _Node) -> _Node | None:
        """The element its /P names (None: the root, or no element)."""
        parent = elem.obj.get("/P")
        return self._read_node(parent) if _is_elem(parent) else None

    def new_elem(self, tag: str, parent: _Node | None, page: int | None = None, **entries):
        obj = Dictionary(
            Type=Name.StructElem,
            S=Name(tag),
            K=Array(),
            P=self.root if parent is None else parent.obj,
            **entries,
        )
        if page is not None:
            obj.Pg = self.pages[page]
        node = self.node(self.pdf.make_indirect(obj))
        node.tag = tag
        node.page = page
        return node

    def to_artifact(self, elem: _Node, subtype: str | None = None) -> None:
        for item in self.reading_order(elem):
            if item[0] == "mc":
                self.artifacts[item[1:]] = subtype

    # Repairs

    def flatten_nested_links(self) -> None:
        """A link and its ::after pseudo element: WeasyPrint writes a Link inside a Link."""
        nested = [
            (elem, parent)
            for elem, parent in self.walk()
            if parent is not None and elem.tag == "/Link" and parent.tag == "/Link"
        ]
        for elem, parent in nested:
            while parent.tag == "/Link" and (grand := self.parent_node(parent)) is not None:
                if grand.tag != "/Link":
                    break
                parent = grand  # a Link in a Link in a Link: all into the outermost
            moved = []
            for kid in elem.kids:
                if isinstance(kid, int) and elem.page != parent.page:
                    kid = self.mcr(elem, kid)
                if type(kid) is _Node:
                    kid.obj.P = parent.obj
                moved.append(kid)
            kids = []
            for kid in parent.kids:
                if type(kid) is _Node and kid.key == elem.key:
                    kids.extend(moved)
                else:
                    kids.append(kid)
            self.set_kids(parent, kids)

    def fix_links(self, link_texts: Mapping[str, str] | None, html) -> None:
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
            if elem.tag not in _KEEP_EMPTY and not elem.kids:
                self.detach(elem, parent)

    def finalize(self) -> None:
        """Renumber marked content per page, turn content whose element left the tree into
        artifacts, and write a ParentTree with no empty entry, /P on every element and an
        /IDTree."""
        self.prune_empty()
        elements = list(self.walk())
        for elem, parent in elements:
            elem.obj.P = parent.obj if parent is not None else self.root
        owners = self.owners()
        entries: dict[int, object] = {}
        for index, page in enumerate(self.pages):
            self._renumber(index, page, owners, entries)
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
                entries[key] = owner[0].obj
                key += 1
        nums = []
        for number in sorted(entries):
            nums.extend([number, entries[number]])
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=Array(nums)))
        self.root.ParentTreeNextKey = key
        ids = sorted(
            (bytes(elem.obj.ID), elem) for elem, _parent in self.walk() if "/ID" in elem.obj
        )
        if ids:
            tree = []
            for name, elem in ids:
                tree.extend([String(name), elem.obj])
            self.root.IDTree = self.pdf.make_indirect(Dictionary(Names=Array(tree)))
        elif "/IDTree" in self.root:
            del self.root["/IDTree"]
        self.flush()

    def _renumber(self, index: int, page, owners: dict, entries: dict) -> None:
        """One page of `finalize`: MCIDs in the order the page draws them, an artifact for
        content no element owns that was tagged."""
        scan = self.scan(index)
        ops = self.ops(index)
        replaced = False
        height = None
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
                    kid.obj = self.karray(elem)[position]
                    kid.obj.MCID = new
                    kid.mcid = new
                else:
                    self.karray(elem)[position] = new
                    elem.kids[position] = new
            if new != seq.mcid:
                # The sequence's own operands and properties, as the scan read them from the
                # instruction (a sequence with an MCID has properties with /MCID).
                props = (
                    {"/MCID": new}
                    if len(seq.props) == 1
                    else {**dict(seq.props.items()), "/MCID": new}
                )
                ops[seq.begin] = _Instruction([seq.operands[0], props], _BDC)
                replaced = True
        if replaced:
            self._dirty.add(index)
            self._scans.pop(index, None)
        if array:
            page.StructParents = index
            entries[index] = Array(array)
        elif "/StructParents" in page:
            del page["/StructParents"]


def _page_height(page) -> float:
    box = _numbers(page.get("/MediaBox", Array([0, 0, 595, 842])))
    return abs(box[3] - box[1]) if box and len(box) == 4 else 842.0
