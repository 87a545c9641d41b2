"""allauth adapter: carry the guest's cart into the account at login.

allauth's adapter is its documented extension point for "do something when a
user logs in"; the merge itself is the ``cart_merge_into_user`` service.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from .cart import SESSION_KEY, cart_merge_into_user
from .models import Cart


class ShopAccountAdapter(DefaultAccountAdapter):
    def login(self, request, user):
        session_cart_id = request.session.get(SESSION_KEY)
        super().login(request, user)
        if not session_cart_id:
            return
        session_cart = Cart.objects.filter(
            public_id=session_cart_id, user__isnull=True
        ).first()
        if session_cart is not None:
            cart_merge_into_user(session_cart=session_cart, user=user)
        request.session.pop(SESSION_KEY, None)
