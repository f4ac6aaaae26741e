from solna_sn import navigation as nav
from solna_sn import permissions


def navigation(request):
    """The main navigation for the signed-in user, with the current page marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in nav.items_for(user):
        url = item.url
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append(
            {"label": item.label, "url": url, "current": current, "description": item.description}
        )
    return {
        "nav_items": items,
        "can_view_drafts": permissions.can_view_drafts(user),
    }
