"""The tagged document: the structure tree read once into Python (`_Node`) and its pages'
content, parsed and scanned once per page.

Every access to a pikepdf object crosses into C++ and wraps the value, so the tree is read once
(each element's tag, page and kids) and then walked and changed in Python; the `_Doc` methods
that change an element write the dictionary and its `_Node` together."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, ContentStreamInstruction, Dictionary, Name, Object, Operator

from .common import _is_dict, _is_elem, _key, _read_number_tree
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


class _Doc:
    """The open PDF: its pages, the structure tree as `_Node`s, and each page's content
    stream parsed and scanned once (`ops`, `scan`), written back by `flush`."""

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
        """A kid that is no element as `_Node.kids` holds it (an MCID as is)."""
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
        """The element's /K array (the one `set_kids` wrote, or read once)."""
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
        """Content items in reading order, of the whole tree or of one element's subtree (a
        null kid ends its element's kids)."""
        order: list[tuple] = []
        append = order.append
        content = self.content
        seen: set = set()
        stack = [(None, [start] if start is not None else self.document_elements(), 0)]
        while stack:
            owner, kids, index = stack.pop()
            count = len(kids)
            while index < count:
                kid = kids[index]
                index += 1
                if kid is None:
                    break
                if type(kid) is _Node:
                    if kid.key in seen:
                        continue
                    seen.add(kid.key)
                    stack.append((owner, kids, index))
                    owner, kids, index, count = kid, kid.kids, 0, len(kid.kids)
                elif owner is not None:
                    if type(kid) is int:
                        if owner.page is not None:
                            append(("mc", owner.page, kid))
                    elif item := content(owner, kid):
                        append(item)
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
