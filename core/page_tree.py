"""Which parts of the page tree visitors may see: live and public all the way up.

Wagtail's ``live()`` looks at a page alone: unpublishing a brand (without its
descendants, the admin's default) leaves its products live, and Wagtail routes
to them. ``public()`` honours view restrictions on ancestors but not an
unpublished ancestor. A page is *visible* here when it is live and neither it
nor any ancestor is unpublished or carries a view restriction (password,
login, groups).

The hidden subtrees are found in one query (unpublished pages that have
children, and restricted pages) and applied as path-prefix exclusions, so a
listing costs one query more than its own, however many pages it holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.http import Http404
from wagtail.models import Page


def hidden_subtree_paths() -> list[str]:
    """Tree paths of the outermost pages whose whole subtree visitors may not
    see: unpublished pages with children, and view-restricted pages (one query)."""
    paths = (
        Page.objects.filter(
            Q(live=False, numchild__gt=0) | Q(view_restrictions__isnull=False)
        )
        .values_list("path", flat=True)
        .distinct()
        .order_by("path")
    )
    outermost: list[str] = []
    for path in paths:
        # Sorted by path, so an ancestor comes right before its descendants.
        if outermost and path.startswith(outermost[-1]):
            continue
        outermost.append(path)
    return outermost


def outside_hidden_q(*, hidden: Iterable[str] | None = None, field: str = "path") -> Q:
    """Rows whose ``field`` (a page path) lies in no hidden subtree.

    ``hidden`` defaults to ``hidden_subtree_paths()``; pass it to reuse one
    lookup across several querysets of a request.
    """
    prefixes = hidden_subtree_paths() if hidden is None else hidden
    condition = Q()
    for prefix in prefixes:
        condition &= ~Q(**{f"{field}__startswith": prefix})
    return condition


def is_visible_path(*, path: str, hidden: Iterable[str]) -> bool:
    """True when ``path`` lies in none of the ``hidden`` subtrees."""
    return not any(path.startswith(prefix) for prefix in hidden)


class LiveAncestryRouteMixin:
    """Route no request through an unpublished page to its live children.

    Wagtail's ``Page.route`` checks ``live`` only on the page it ends on, so
    the products of an unpublished brand stayed reachable by URL.
    """

    def route(self, request, path_components):
        if path_components and not self.live:
            raise Http404
        return super().route(request, path_components)
