"""Papers of a meeting that other apps print (the delårsrapport, printed by reports), shown in
the reading room beside the meeting's own bundle. Casework cannot import those apps, so each
registers a provider in its <app>/meeting_papers.py (found by CaseworkConfig.ready()):

    register_meeting_papers(provider)

where `provider(meeting_ids, user)` returns {meeting_id: [RenderedDocument, …]} of finished,
sent PDFs the user may read; access must come from RenderedDocument.objects.readable_by(user).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Provider = Callable[[list[int], object], dict[int, list]]
_providers: list[Provider] = []


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
