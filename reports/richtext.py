"""Written texts of a report: the fixed allow-list, live figure references and readable diffs.
Pure functions, no database.

A live figure is stored in the text as `<span data-figure="KEY">138,2</span>`; the text inside
is only what the writer saw when inserting it. Printing replaces it with the figure's current
text (or the frozen one once the report is sent). Writers without JavaScript can type
`[[siffra:KEY]]`, which is stored as the same element.
"""

from __future__ import annotations

import difflib
import html as html_lib
import re
from dataclasses import dataclass

import nh3

ALLOWED_TAGS = {"p", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "br", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "span": {"data-figure"}}
URL_SCHEMES = {"http", "https", "mailto"}
KEY_PATTERN = r"[A-Za-z0-9_.:\-/]{1,120}"

FIGURE_RE = re.compile(
    r'<span data-figure="(?P<key>' + KEY_PATTERN + r')">(?P<text>.*?)</span>', re.DOTALL
)
TOKEN_RE = re.compile(r"\[\[siffra:(?P<key>" + KEY_PATTERN + r")\]\]")
# Spans without a figure are kept by nh3 as bare <span>: drop the element, keep the text.
BARE_SPAN_RE = re.compile(r"<span>(.*?)</span>", re.DOTALL)
TAG_RE = re.compile(r"<[^>]+>")
BLOCK_END_RE = re.compile(r"</(p|h3|h4|li)>|<br>")
EMPTY_PARAGRAPH_RE = re.compile(r"<p>(\s|<br>)*</p>")


def _plain_to_html(text: str) -> str:
    """A text typed without markup (no JavaScript): paragraphs at blank lines."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html_lib.escape(line) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )


def sanitize(value: str) -> str:
    """Reduce `value` to the allow-list: p, h3, h4, ul, ol, li, strong, em, a (http, https,
    mailto), br, and the figure reference. Everything else (scripts, styles, classes, Word's
    markup) is removed; the text is kept."""
    value = (value or "").replace("\r\n", "\n")
    if value.strip() and "<" not in value:
        value = _plain_to_html(value)
    value = TOKEN_RE.sub(lambda m: f'<span data-figure="{m["key"]}">{m["key"]}</span>', value)
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    cleaned = cleaned.replace("&nbsp;", " ").replace("\xa0", " ").replace("\ufeff", "")
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = BARE_SPAN_RE.sub(r"\1", cleaned)
    # A figure's inner text is plain: nothing nested inside the reference.
    cleaned = FIGURE_RE.sub(
        lambda m: f'<span data-figure="{m["key"]}">{TAG_RE.sub("", m["text"])}</span>', cleaned
    )
    cleaned = EMPTY_PARAGRAPH_RE.sub("", cleaned)
    return cleaned.strip()


def figure_keys(body: str) -> list[str]:
    return [m["key"] for m in FIGURE_RE.finditer(body or "")]


@dataclass(frozen=True)
class Resolved:
    html: str
    used: dict[str, str]  # key → text printed
    missing: list[str]  # keys whose source is gone


def resolve(body: str, figures: dict[str, str]) -> Resolved:
    """Print the live figures of `body` with their current text (`figures`: key → text).
    A reference whose source disappeared prints a visible marker."""
    used: dict[str, str] = {}
    missing: list[str] = []

    def replace(match):
        key = match["key"]
        if key in figures:
            used[key] = figures[key]
            text = html_lib.escape(figures[key])
            return f'<span class="figure" data-figure="{key}">{text}</span>'
        missing.append(key)
        return (
            f'<span class="figure figure--missing" data-figure="{key}">'
            f"[saknad siffra: {html_lib.escape(TAG_RE.sub('', match['text']))}]</span>"
        )

    return Resolved(FIGURE_RE.sub(replace, body or ""), used, missing)


def plain_text(body: str) -> str:
    text = BLOCK_END_RE.sub("\n", body or "")
    return html_lib.unescape(TAG_RE.sub("", text)).strip()


def typed_figures(body: str, figures: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """Figures typed as plain numbers where a live figure with the same text exists:
    [(text, label)]. Only texts with a digit and at least three characters count ("7,1 %",
    "138,2"), so a "2" in a sentence is not a warning."""
    outside = plain_text(FIGURE_RE.sub(" ", body or ""))
    found = []
    seen = set()
    for _key, (label, text) in figures.items():
        if len(text) < 3 or not any(c.isdigit() for c in text) or text in seen:
            continue
        if re.search(r"(?<![\d,])" + re.escape(text) + r"(?![\d,])", outside):
            seen.add(text)
            found.append((text, label))
    return found


BREAK = "\n"  # a paragraph or list item ends: a token of its own, shown as a line break


def diff_tokens(body: str) -> list[str]:
    """The words of a text without its markup, with `BREAK` between its paragraphs."""
    tokens: list[str] = []
    for line in plain_text(body).splitlines():
        words = line.split()
        if words:
            if tokens:
                tokens.append(BREAK)
            tokens.extend(words)
    return tokens


def diff_html(old: str, new: str) -> str:
    """A readable word diff of two texts (markup removed, paragraphs kept as line breaks) as
    HTML: removed words in <del>, added words in <ins>, each with a hidden text label so the
    change is not colour only."""
    return diff_words(diff_tokens(old), diff_tokens(new))


def _joined(words: list[str]) -> str:
    """Words separated by spaces, `BREAK` as <br> (without spaces around it)."""
    out = ""
    for word in words:
        if word == BREAK:
            out = out.rstrip() + "<br>"
        else:
            out += ("" if not out or out.endswith("<br>") else " ") + html_lib.escape(word)
    return out


def diff_words(old_words: list[str], new_words: list[str]) -> str:
    """The word diff of `diff_html` on words already taken out of their markup."""
    out = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(_joined(old_words[a1:a2]))
            continue
        for words, tag, label in (
            (old_words[a1:a2] if op in ("delete", "replace") else [], "del", "borttaget"),
            (new_words[b1:b2] if op in ("insert", "replace") else [], "ins", "tillagt"),
        ):
            inner = list(words)
            lead = trail = ""
            while inner and inner[0] == BREAK:  # a new paragraph starts outside the mark
                inner.pop(0)
                lead = "<br>" if tag == "ins" else ""
            while inner and inner[-1] == BREAK:
                inner.pop()
                trail = "<br>" if tag == "ins" else ""
            if inner:
                out.append(
                    f'{lead}<{tag}><span class="visually-hidden">{label}: </span>'
                    f"{_joined(inner)}</{tag}>{trail}"
                )
            elif lead or trail:
                out.append("<br>")
    return (
        " ".join(piece for piece in out if piece).replace(" <br>", "<br>").replace("<br> ", "<br>")
    )
