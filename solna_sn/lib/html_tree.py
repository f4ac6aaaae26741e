"""Parse the HTML we print into the ElementTree WeasyPrint lays out, in C instead of Python.

WeasyPrint 70 parses with tinyhtml5 (pure Python, about 340 ms for the demo delårsrapport, and
`solna_sn.lib.pdfua` parsed the same HTML a second time). `parse` runs lexbor's HTML5 parser
(selectolax, a spec-conforming tree builder: implied tbody, auto-closed p and li, entities, CR LF,
SVG's camel-case names) and builds the same tree tinyhtml5 builds with
`namespace_html_elements=False`: HTML elements without a namespace, SVG and MathML elements in
theirs, foreign attributes (xlink:href, xml:lang, xmlns) in theirs, comments as
`ElementTree.Comment`. tests/lib/test_html_tree.py compares the two trees on the printed
documents and on edge cases.

A `<template>` is the one construct lexbor keeps apart from the tree (as a document fragment);
HTML containing one is parsed with tinyhtml5, which we never print but must not get wrong.
"""

from __future__ import annotations

from xml.etree import ElementTree

import tinyhtml5
from selectolax.lexbor import LexborHTMLParser

SVG = "{http://www.w3.org/2000/svg}"
MATHML = "{http://www.w3.org/1998/Math/MathML}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_XML = "{http://www.w3.org/XML/1998/namespace}"
_XMLNS = "{http://www.w3.org/2000/xmlns/}"
# The HTML standard's "adjust foreign attributes" table.
_FOREIGN_ATTRIBUTES = {
    **{
        f"xlink:{name}": _XLINK + name
        for name in ("actuate", "arcrole", "href", "role", "show", "title", "type")
    },
    "xml:lang": _XML + "lang",
    "xml:space": _XML + "space",
    "xmlns": _XMLNS + "xmlns",
    "xmlns:xlink": _XMLNS + "xlink",
}
# Integration points: their children are HTML again.
_HTML_INSIDE = {SVG: {"foreignObject", "desc", "title"}, MATHML: {"annotation-xml"}}


def parse(html: str) -> ElementTree.Element:
    """The `<html>` element of `html`, as tinyhtml5.parse(html, namespace_html_elements=False)
    returns it."""
    if "<template" in html.lower():
        return tinyhtml5.parse(html, namespace_html_elements=False)
    return _build(LexborHTMLParser(html).root, None)


def _build(node, namespace: str | None) -> ElementTree.Element:
    tag = node.tag
    if namespace is None and tag in ("svg", "math"):
        namespace = SVG if tag == "svg" else MATHML
    attributes = {}
    for name, value in node.attributes.items():
        if namespace is not None:
            name = _FOREIGN_ATTRIBUTES.get(name, name)
        attributes[name] = "" if value is None else value
    element = ElementTree.Element(namespace + tag if namespace else tag, attributes)
    inner = None if namespace and tag in _HTML_INSIDE[namespace] else namespace
    last = None
    child = node.child
    while child is not None:
        kind = child.tag
        if kind == "-text":
            text = child.text_content
            if last is None:
                element.text = text if element.text is None else element.text + text
            else:
                last.tail = text if last.tail is None else last.tail + text
        elif kind == "-comment":
            # comment_content is stripped; the serialised form is "<!--" + data + "-->".
            last = ElementTree.Comment(child.html[4:-3])
            element.append(last)
        elif not kind.startswith("-"):  # "-doctype" and other non-element nodes are dropped
            last = _build(child, inner)
            element.append(last)
        child = child.next
    return element
