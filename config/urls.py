from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve as serve_static
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from pages import views as page_views
from pages.sitemaps import AllLocalesSitemap


def sitemap_view(request):
    return sitemap(request, sitemaps={"pages": AllLocalesSitemap(request)})


# Outside the language prefix: machine endpoints and the admin.
urlpatterns = [
    path("healthz", page_views.healthz, name="healthz"),
    path("robots.txt", page_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    # Shadows Wagtail's own login so every login passes allauth's rate limits.
    path("admin/login/", page_views.admin_login, name="admin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("shop.webhook_urls")),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve_static,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Vietnamese at /, English at /en/.
urlpatterns += i18n_patterns(
    path("search/", page_views.search, name="search"),
    # In the language prefix: the cart count's label is in the page's language.
    path("_/me.json", page_views.me, name="me"),
    path("accounts/", include("allauth.urls")),
    # Shadows Wagtail's front-end login (Django's plain LoginView, without
    # allauth's rate limits): a GET or a POST is sent on to allauth's.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="frontend_login_redirect",
    ),
    path("", include("brands.urls")),
    path("", include("shop.urls")),
    path("", include("assessment.urls")),
    path("", include("organisations.urls")),
    path("", include("joining.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
