"""The visitor's own header state: cart count, account and admin links.

Cached public pages carry none of it (``core.page_cache``); the header's
script asks ``/_/me.json`` for it, and pages that are never cached (the cart,
checkout, account) render it on the server.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import ngettext

from shop.cart import cart_count


@dataclass(frozen=True)
class VisitorState:
    cart_count: int
    is_authenticated: bool
    # Staff, or a member of an organisation (its group): the admin link.
    is_admin: bool

    @property
    def cart_label(self) -> str:
        """The count for screen readers, e.g. "(2 items)"; empty for none."""
        if not self.cart_count:
            return ""
        return ngettext(
            "(%(counter)s item)", "(%(counter)s items)", self.cart_count
        ) % {"counter": self.cart_count}


def visitor_state(request: HttpRequest) -> VisitorState:
    """Read ``request``'s cart and user (the session: never on a cached page)."""
    user = request.user
    is_authenticated = bool(user.is_authenticated)
    return VisitorState(
        cart_count=cart_count(request),
        is_authenticated=is_authenticated,
        is_admin=is_authenticated and (user.is_staff or user.groups.exists()),
    )
