"""allauth adapter: carry the guest's cart and orders into the account.

allauth's adapter is its documented extension point for "do something when a
user logs in"; the merge itself is the ``cart_merge_into_user`` service.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import translation

from .cart import SESSION_KEY, cart_merge_into_user
from .models import Cart
from .services.guest_orders import guest_orders_attach


def _home_in_active_language() -> str:
    """``/`` or ``/en/``: the home page in the language the visitor is using.

    allauth's pages sit under ``i18n_patterns``, so the active language is the
    one of the page the visitor came from; a fixed ``LOGIN_REDIRECT_URL`` would
    drop an English visitor on the Vietnamese home page after logging in.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return "/"
    return f"/{language}/"


class ShopAccountAdapter(DefaultAccountAdapter):
    # A `next` the visitor carried still wins: allauth asks these only without one.
    def get_login_redirect_url(self, request):
        return _home_in_active_language()

    def get_signup_redirect_url(self, request):
        return _home_in_active_language()

    def get_logout_redirect_url(self, request):
        return _home_in_active_language()

    def get_email_verification_redirect_url(self, email_address):
        return _home_in_active_language()

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            guest_orders_attach(user=email_address.user, emails=[email_address.email])
        return confirmed

    def login(self, request, user):
        session_cart_id = request.session.get(SESSION_KEY)
        super().login(request, user)
        # Guest orders placed since, with an address this account has verified.
        guest_orders_attach(
            user=user,
            emails=EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            ),
        )
        if not session_cart_id:
            return
        session_cart = Cart.objects.filter(
            public_id=session_cart_id, user__isnull=True
        ).first()
        if session_cart is not None:
            cart_merge_into_user(session_cart=session_cart, user=user)
        request.session.pop(SESSION_KEY, None)
