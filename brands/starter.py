"""A new organisation's first brand page: a draft the owner fills in.

Made by ``joining.services.application_approve`` when province staff approve
an application. The page is a draft in every language the site has a brand
index for (Vietnamese first, English as its translation), with the name, a
tagline and a placeholder story that says what to write, so the owner starts
from a page that already looks like a brand page rather than from an empty
form. Publishing goes through the province's moderation workflow.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.models import Locale

from core.text import ascii_slug
from organisations.models import Organisation

from .errors import BrandsError
from .models import BrandIndexPage, BrandPage


class NoBrandIndex(BrandsError):
    code = "no_brand_index"
    status = 409
    default_message = _lazy(
        "The site has no brand index page yet, so no brand page can be "
        "created. Create the brand index page first."
    )


def _starter_fields(organisation: Organisation, language: str) -> dict:
    with translation.override(language):
        tagline = _("Products of %(commune)s, An Giang") % {
            "commune": organisation.commune.name
        }
        story = [
            {
                "type": "heading",
                "value": _("Our story"),
            },
            {
                "type": "paragraph",
                "value": "<p>"
                + _(
                    "Replace this text with your story: who you are, where your "
                    "products come from, how you make them and what makes them "
                    "special."
                )
                + "</p>",
            },
        ]
    return {
        "title": organisation.display_name,
        "tagline": tagline,
        "story": json.dumps(story),
    }


def _free_slug(index: BrandIndexPage, organisation: Organisation) -> str:
    base = ascii_slug(organisation.display_name) or "thuong-hieu"
    siblings = set(index.get_children().values_list("slug", flat=True))
    if base not in siblings:
        return base
    # The tax code keeps two firms of the same name apart.
    return f"{base}-{ascii_slug(organisation.tax_code)}"


@transaction.atomic
def brand_page_starter_ensure(*, organisation: Organisation) -> BrandPage:
    """The organisation's draft brand page (default language), made once.

    Idempotent: an organisation that already has a brand page keeps it. The
    English translation is made as a draft too when the site has an English
    brand index. Raises ``NoBrandIndex`` when the site has no brand index.
    """
    default_locale = Locale.get_default()
    existing = BrandPage.objects.filter(
        organisation=organisation, locale=default_locale
    ).first()
    index = BrandIndexPage.objects.filter(locale=default_locale).first()
    if existing is None:
        if index is None:
            raise NoBrandIndex()
        page = BrandPage(
            organisation=organisation,
            slug=_free_slug(index, organisation),
            live=False,
            **_starter_fields(organisation, default_locale.language_code),
        )
        index.add_child(instance=page)
        page.save_revision()
    else:
        page = existing
    for locale in Locale.objects.exclude(pk=default_locale.pk):
        if page.get_translation_or_none(locale) is not None:
            continue
        if BrandIndexPage.objects.filter(locale=locale).first() is None:
            continue
        translated = page.copy_for_translation(locale).specific
        for field, value in _starter_fields(organisation, locale.language_code).items():
            setattr(translated, field, value)
        translated.live = False
        translated.save()
        translated.save_revision()
    return page


def story_is_starter(page: BrandPage) -> bool:
    """Is the page's story still the starter placeholder (in any language)?"""
    story = _texts(page.story.raw_data)
    languages = {page.locale.language_code, Locale.get_default().language_code}
    for language in languages:
        starter = json.loads(_starter_fields(page.organisation, language)["story"])
        if story == _texts(starter):
            return True
    return False


def _texts(blocks) -> list[tuple[str, str]]:
    # By text, not markup: the editor adds block keys to every paragraph it
    # saves, so an untouched placeholder comes back as different HTML.
    return [
        (block["type"], " ".join(strip_tags(str(block["value"])).split()))
        for block in blocks
    ]
