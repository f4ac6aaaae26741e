"""Papers of a meeting that other apps print (the delårsrapport, printed by reports), shown in
the reading room beside the meeting's own bundle. Casework cannot import those apps, so each
registers a provider in its <app>/meeting_papers.py (found by CaseworkConfig.ready()):

    register_meeting_papers(provider)

where `provider(meeting_ids, user)` returns {meeting_id: [RenderedDocument, …]} of finished,
sent PDFs the user may read; access must come from RenderedDocument.objects.readable_by(user).

A provider can also give the meeting bundle enclosures to print after a memo (the report the
memo presents, as in the sources):

    register_bundle_enclosures(provider)

where `provider(memo_ids, internal)` returns {memo_id: [{"name", "sha256", "pages", "title"}, …]}:
a stored PDF (its default_storage name, the sha256 of its stored bytes, its page count) and
the title printed as "Bilaga: <title>". The public bundle (`internal` false) must only get
PDFs that are for the nämnd (sent versions). Casework places each at a placeholder after the
memo and the renderer splices it in, like an uploaded enclosure.

A provider can also name documents the memo's Handlingar list after its own enclosures (the
verksamhetsplan its memo presents):

    register_handlingar(provider)

where `provider(memo_ids)` returns {memo_id: [title, …]}.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Provider = Callable[[list[int], object], dict[int, list]]
EnclosureProvider = Callable[[list[int], bool], dict[int, list[dict]]]
_providers: list[Provider] = []
_enclosure_providers: list[EnclosureProvider] = []
HandlingarProvider = Callable[[list[int]], dict[int, list[str]]]
_handlingar_providers: list[HandlingarProvider] = []


def register_meeting_papers(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def papers_for(meeting_ids: Iterable[int], user) -> dict[int, list]:
    """{meeting_id: [RenderedDocument, …]} from every registered provider, in their order."""
    ids = list(meeting_ids)
    papers: dict[int, list] = {}
    if not ids:
        return papers
    for provider in _providers:
        for meeting_id, documents in provider(ids, user).items():
            papers.setdefault(meeting_id, []).extend(documents)
    return papers


def register_bundle_enclosures(provider: EnclosureProvider) -> None:
    if provider not in _enclosure_providers:
        _enclosure_providers.append(provider)


def enclosures_for(memo_ids: Iterable[int], *, internal: bool) -> dict[int, list[dict]]:
    """{memo_id: [enclosure, …]} from every registered provider, in their order."""
    ids = list(memo_ids)
    enclosures: dict[int, list[dict]] = {}
    if not ids:
        return enclosures
    for provider in _enclosure_providers:
        for memo_id, found in provider(ids, internal).items():
            enclosures.setdefault(memo_id, []).extend(found)
    return enclosures


def register_handlingar(provider: HandlingarProvider) -> None:
    if provider not in _handlingar_providers:
        _handlingar_providers.append(provider)


def handlingar_for(memo_ids: Iterable[int]) -> dict[int, list[str]]:
    """{memo_id: [title, …]} from every registered provider, in their order."""
    ids = list(memo_ids)
    titles: dict[int, list[str]] = {}
    if not ids:
        return titles
    for provider in _handlingar_providers:
        for memo_id, found in provider(ids).items():
            titles.setdefault(memo_id, []).extend(found)
    return titles
