"""Security headers and defaults shared by every mode (production tightens further).

Kept apart from base.py, which star-imports it, so each settings file stays short.
"""

from __future__ import annotations

from csp.constants import NONCE

from config import env

# --- Security defaults (production tightens further) --------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Security headers ---------------------------------------------------------
# Content-Security-Policy through django-csp 4.0 (Django 6 has it built in).
# The public site runs no inline script or style: everything comes from
# 'self', so the policy is enforced. A template that truly needs an inline
# block uses nonce="{{ request.csp_nonce }}". The Wagtail admin still relies on
# inline scripts and styles, so /admin/ is excluded from enforcement and gets
# the same policy report-only (config.csp.SiteCSPMiddleware).
# The payment page widens the policy for Stripe.js only: shop.views.payment._stripe_csp
# builds the update from the current STRIPE_* settings per response.
_CSP_SELF = "'self'"
_CSP_NONE = "'none'"
VIDEO_EMBED_ORIGINS = [
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ("/admin/",),
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF, NONCE],
        "style-src": [_CSP_SELF, NONCE],
        "img-src": [_CSP_SELF, "data:", *env.CSP_IMG_ORIGINS],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        # Video blocks of brand stories embed YouTube or Vimeo players (the
        # only oEmbed providers allowed, WAGTAILEMBEDS_FINDERS); cached pages
        # share one header, so these hosts are allowed site-wide rather than
        # per page. The payment page adds Stripe.
        "frame-src": [_CSP_SELF, *VIDEO_EMBED_ORIGINS],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
        "report-uri": [env.CSP_REPORT_URI] if env.CSP_REPORT_URI else None,
    },
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        # The admin previews pages in a same-origin iframe (frame-src already
        # allows 'self').
        "frame-ancestors": [_CSP_SELF],
    },
}


# Stated explicitly although they are Django's defaults; production adds HSTS.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No Gravatar in the admin: it would send a hash of each editor's email to a
# third party and needs an img-src exception.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
