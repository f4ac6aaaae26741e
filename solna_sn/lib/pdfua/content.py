"""Content streams: the marked-content sequences of a page, and the marked content of a form
XObject taken out."""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf
from pikepdf import Dictionary, Name

from .common import _IDENTITY, _is_dict, _key, _mul, _numbers

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
# Operators that neither paint, mark content nor move the text or graphics state `_scan` follows.
_IGNORED_OPS = {"ET", "Tf", "gs", "RG", "rg", "w", "m", "l", "G", "g", "K", "k", "cs", "CS"}
_IGNORED_OPS |= {"sc", "SC", "scn", "SCN", "c", "v", "y", "h", "W", "W*", "n", "J", "j", "d"}
_IGNORED_OPS |= {"M", "ri", "i", "Tc", "Tw", "Tz", "TL", "Tr", "Ts", "T*", "d0", "d1"}
_IGNORED_OPS -= _PAINT_OPS


@dataclass(slots=True)
class _Seq:
    """One marked-content sequence in a page's content stream."""

    begin: int  # index of its BDC/BMC instruction
    end: int | None  # index of its EMC
    tag: str
    mcid: int | None
    artifact: bool
    inside_mcid: bool  # nested in a sequence with an MCID
    y: float | None = None  # device y of the first thing drawn in it, when a rectangle
    # when that is text: the text matrix (maybe still a `_Pending` Tm) and CTM then
    text_at: tuple | None = None
    text_ops: list[int] = field(default_factory=list)  # its text-showing instructions
    operands: list | None = None  # of its BDC, and the properties they give
    props: Dictionary | None = None

    def device_y(self) -> float | None:
        """The device y of the first thing drawn in the sequence."""
        if self.y is None and self.text_at is not None:
            text, ctm = self.text_at
            self.y = _mul(_resolve(text), ctm)[5]
        return self.y


@dataclass(slots=True)
class _Pending:
    """A Tm not read yet (only the few sequences that become page furniture need their
    position): the text matrix is its operands, or `previous` when they are no matrix."""

    instruction: object
    previous: object  # a matrix or a `_Pending`


def _resolve(text) -> tuple:
    pending = []
    while type(text) is _Pending:
        pending.append(text)
        text = text.previous
    for tm in reversed(pending):
        matrix = _numbers(tm.instruction.operands)
        if matrix and len(matrix) == 6:
            text = matrix
    return text


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
    """The page's marked-content sequences, in one pass: what the open sequences amount to (in
    tagged content or an artifact, the innermost one with an MCID) is kept as state, pushed on
    BDC/BMC and restored on EMC."""
    seqs: list[_Seq] = []
    stack: list[tuple] = []  # (sequence, and the state before it)
    untagged = 0
    unbalanced = False
    tagged = artifact = False  # some open sequence has an MCID or is an artifact; is an artifact
    owner: _Seq | None = None  # the innermost open sequence with an MCID
    ctm = _IDENTITY
    ctm_stack = []
    text = _IDENTITY  # the text (and line) matrix, a matrix or a `_Pending` Tm
    ignored, paint_ops, text_ops = _IGNORED_OPS, _PAINT_OPS, _TEXT_OPS
    for index, instruction in enumerate(ops):
        op = str(instruction.operator)
        if op in ignored:
            continue
        if op == "EMC":
            if stack:
                seq, tagged, artifact, owner = stack.pop()
                seq.end = index
            else:
                unbalanced = True
            continue
        if op == "q":
            ctm_stack.append(ctm)
            continue
        if op == "Q":
            ctm = ctm_stack.pop() if ctm_stack else ctm
            continue
        if op == "BDC" or op == "BMC":
            operands = instruction.operands
            tag = str(operands[0]) if operands else ""
            props = _properties(operands, resources) if op == "BDC" else None
            mcid = props.get("/MCID") if props is not None else None
            seq = _Seq(
                begin=index,
                end=None,
                tag=tag,
                mcid=int(mcid) if isinstance(mcid, int) else None,
                artifact=tag == "/Artifact" or artifact,
                inside_mcid=owner is not None,
                operands=operands,
                props=props,
            )
            seqs.append(seq)
            stack.append((seq, tagged, artifact, owner))
            artifact = seq.artifact
            tagged = tagged or artifact or seq.mcid is not None
            if seq.mcid is not None:
                owner = seq
            continue
        if op == "BT":
            text = _IDENTITY
            continue
        if op == "Tm":
            text = _Pending(instruction, text)
            continue
        if op == "cm":
            matrix = _numbers(instruction.operands)
            if matrix and len(matrix) == 6:
                ctm = _mul(matrix, ctm)
            continue
        if op == "Td" or op == "TD":
            offset = _numbers(instruction.operands)
            if offset and len(offset) == 2:
                text = _mul((1.0, 0.0, 0.0, 1.0, *offset), _resolve(text))
            continue
        if op in paint_ops or op == "re":
            if not tagged and op in paint_ops:
                untagged += 1
            if owner is not None:
                if op in text_ops:
                    if owner.y is None and owner.text_at is None:
                        owner.text_at = (text, ctm)
                    owner.text_ops.append(index)
                elif owner.y is None and owner.text_at is None and op == "re":
                    box = _numbers(instruction.operands)
                    if box and len(box) == 4:
                        owner.y = _mul((1.0, 0.0, 0.0, 1.0, box[0], box[1]), ctm)[5]
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
