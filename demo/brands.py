"""Demo brands, products, variants and generated images (data: demo/data/brands.yaml).

Idempotent: objects are looked up by stable keys (slugs, SKUs, image titles)
and only created when missing, so a second run adds and changes no rows.
Brand pages get their organisation's page permissions through the
organisations app's own service.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from brands.models import (
    BrandCertification,
    BrandIndexPage,
    BrandPage,
    CataloguePage,
    ProductCertification,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
    TraceabilityRecord,
)
from core.page_cache import page_cache_purge
from core.text import ascii_slug
from organisations.models import Organisation
from organisations.services import organisation_grant_page_permissions

from .catalogue import DemoBrand, DemoProduct, demo_brands
from .data import load
from .images import image_ensure
from .organisations import demo_organisations


@dataclass
class _Run:
    """What one seeding run created, for indexing and cache purging at the end."""

    data: dict[str, Any]
    en: Locale
    pages: list[Page] = field(default_factory=list)
    images: list = field(default_factory=list)
    renamed: list[Page] = field(default_factory=list)

    def date(self, key: str) -> datetime.date:
        return datetime.date.fromisoformat(self.data[key])


def seed() -> None:
    run = _Run(data=load("brands"), en=Locale.objects.get(language_code="en"))
    # Indexing references after every save (page, then each child row) is most
    # of the seeding time; index each new page once at the end instead.
    with disable_reference_index_auto_update():
        _seed(run)
    for page in run.pages:
        ReferenceIndex.create_or_update_for_object(page)
    for image in run.images:
        ReferenceIndex.create_or_update_for_object(image)
    # Demo pages go live without Wagtail's publish signals: purge cached
    # pages ourselves when this run added or renamed any.
    if run.pages or run.renamed:
        page_cache_purge()


def _seed(run: _Run) -> None:
    # The default site's root is the Vietnamese home page (demo.site).
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = _ensure_child(run, home, BrandIndexPage, run.data["index"])
    _ensure_child(run, home, CataloguePage, run.data["catalogue"])
    organisations = {
        o.tax_code: o
        for o in Organisation.objects.select_related("collection", "commune")
    }
    tax_codes = {demo.slug: demo.tax_code for demo in demo_organisations()}
    for brand in demo_brands():
        organisation = organisations[tax_codes[brand.slug]]
        brand_page = _seed_brand(run, index, brand, organisation)
        for page in (brand_page, brand_page.get_translation_or_none(run.en)):
            if page is not None:
                organisation_grant_page_permissions(
                    organisation=organisation, page=page
                )


def _add_live(run: _Run, parent: Page, page: Page) -> Page:
    """Add ``page`` under ``parent`` as live, without a revision.

    Demo pages skip the revision/publish round trip (and copy_for_translation
    for English), which would triple the seeding time; the admin creates the
    first revision on the first edit.
    """
    published_at = datetime.datetime.fromisoformat(run.data["published_at"])
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = published_at
    parent.add_child(instance=page)
    run.pages.append(page)
    return page


def _translation_of(run: _Run, page: Page, **fields) -> Page:
    """The English version of ``page``: created from ``fields`` if missing."""
    existing = page.get_translation_or_none(run.en)
    if existing is not None:
        return existing.specific
    parent = page.get_parent().get_translation(run.en)
    values = {
        f.name: getattr(page, f.name)
        for f in page._meta.concrete_fields
        if f.model is type(page) and not f.primary_key and f.name != "page_ptr"
    }
    values["title"] = page.title
    values.update(fields)
    values.setdefault("slug", page.slug)
    translated = type(page)(
        locale=run.en,
        translation_key=page.translation_key,
        show_in_menus=page.show_in_menus,
        **values,
    )
    for relation in ("certifications", "gallery_images", "traceability_records"):
        if hasattr(page, relation):
            copies = []
            for child in getattr(page, relation).all():
                child.pk = None
                child.page = None
                copies.append(child)
            setattr(translated, relation, copies)
    return _add_live(run, parent, translated)


def _ensure_child(run: _Run, parent: Page, model, spec: dict[str, Any]) -> Page:
    page = model.objects.child_of(parent).filter(slug=spec["slug"]).first()
    if page is None:
        page = _add_live(
            run, parent, model(slug=spec["slug"], show_in_menus=True, **spec["vi"])
        )
    _translation_of(run, page, **spec["en"])
    return page


def _story(run: _Run, brand: DemoBrand, organisation: Organisation, language: str):
    texts = run.data["story"]
    words = texts[language]
    blocks = [
        {
            "type": "paragraph",
            "value": f"<p>{brand.story_en if language == 'en' else brand.story}</p>",
        },
        {
            "type": "timeline",
            "value": {
                "heading": words["journey"],
                "milestones": [
                    {
                        "year": organisation.founded_year
                        or texts["default_founded_year"],
                        "title": words["founded"],
                        "text": "",
                    },
                    {
                        "year": texts["online_year"],
                        "title": words["online_title"],
                        "text": words["online_text"],
                    },
                ],
            },
        },
        {
            "type": "quote",
            "value": {
                "text": words["quote"],
                "attribution": organisation.contact_name,
            },
        },
        {
            "type": "location",
            "value": {
                "name": organisation.display_name,
                "latitude": brand.latitude,
                "longitude": brand.longitude,
                "address": f"{organisation.address}, {organisation.commune.name}, An Giang",
            },
        },
    ]
    return json.dumps(blocks)


def _seed_brand(run: _Run, index, brand: DemoBrand, organisation: Organisation):
    page = BrandPage.objects.child_of(index).filter(slug=brand.slug).first()
    if page is None:

        def picture(suffix: str, text: str, size: tuple[int, int], kind: str):
            return image_ensure(
                organisation=organisation,
                key=f"{brand.slug}-{suffix}",
                colour=brand.colour,
                accent=brand.accent,
                text=text,
                size=size,
                kind=kind,
                created=run.images,
            )

        page = BrandPage(
            slug=brand.slug,
            title=organisation.trading_name or organisation.legal_name,
            organisation=organisation,
            tagline=brand.tagline,
            brand_colour=brand.colour,
            accent_colour=brand.accent,
            story=_story(run, brand, organisation, "vi"),
            phone=organisation.phone,
            email=organisation.email,
            address=f"{organisation.address}, {organisation.commune.name}",
            facebook_url=f"https://www.facebook.com/{brand.slug}.example",
            zalo_url=f"https://zalo.me/{brand.slug}-example",
            shopee_url=f"https://shopee.vn/{brand.slug}.example",
            logo=picture("logo", organisation.display_name, (480, 480), "logo"),
            hero_image=picture("hero", brand.tagline, (1280, 560), "hero"),
        )
        for position, key in enumerate(brand.certificates):
            page.certifications.add(
                _certificate(run, BrandCertification, key, position)
            )
        _add_live(run, index, page)
    page_en = _translation_of(
        run,
        page,
        tagline=brand.tagline_en,
        story=_story(run, brand, organisation, "en"),
    )
    for position, product in enumerate(brand.products):
        _seed_product(run, page, page_en, product, brand, organisation, position)
    return page


def _certificate(run: _Run, model, key: str, position: int):
    spec = run.data["certificates"][key]
    issued = datetime.date.fromisoformat(spec.get("issued_on", run.data["issued_on"]))
    return model(
        kind=spec["kind"],
        ocop_stars=spec.get("ocop_stars"),
        number=spec["number"],
        issuer=spec["issuer"],
        issued_on=issued,
        valid_until=issued + datetime.timedelta(days=run.data["validity_days"]),
        sort_order=position,
    )


def _description(short: str, story: str) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{short} {story}</p>"}])


def _storage(run: _Run, product: DemoProduct, language: str) -> str:
    storage = run.data["storage"][language]
    return storage["fruit"] if product.category == "fruit" else storage["other"]


def _seed_product(
    run: _Run,
    brand_page,
    brand_page_en,
    product: DemoProduct,
    brand: DemoBrand,
    organisation: Organisation,
    position: int,
):
    page = ProductPage.objects.child_of(brand_page).filter(slug=product.slug).first()
    if page is None:
        page = ProductPage(
            slug=product.slug,
            title=product.title,
            category=product.category,
            short_description=product.short,
            net_quantity=product.net_quantity,
            shelf_life=product.shelf_life,
            storage=_storage(run, product, "vi"),
            description=_description(product.short, brand.story),
        )
        _add_product_children(run, page, product, brand, organisation, position)
        _add_live(run, brand_page, page)
    for variant_position, variant in enumerate(product.variants):
        ProductVariant.objects.get_or_create(
            sku=variant.sku,
            defaults={
                "product": page,
                "name": variant.name,
                "name_en": variant.name_en,
                "price": variant.price,
                "compare_at_price": variant.compare_at_price,
                "weight_grams": variant.weight_grams,
                "sort_order": variant_position,
            },
        )
    english_slug = ascii_slug(product.title_en)
    existing = page.get_translation_or_none(run.en)
    if existing is not None:
        _give_english_slug(run, existing, vietnamese_slug=page.slug, slug=english_slug)
    else:
        translated = _translation_of(
            run,
            page,
            slug=english_slug,
            title=product.title_en,
            short_description=product.short_en,
            shelf_life=product.shelf_life_en,
            storage=_storage(run, product, "en"),
            description=_description(product.short_en, brand.story_en),
        )
        ProductGalleryImage.objects.filter(page=translated).update(
            alt_text=product.title_en
        )


def _add_product_children(
    run: _Run,
    page: ProductPage,
    product: DemoProduct,
    brand: DemoBrand,
    organisation: Organisation,
    position: int,
) -> None:
    """Gallery pictures, the OCOP certificate and the traceability record."""
    angle = position * 47
    for photo in range(2 if position == 0 else 1):
        image = image_ensure(
            organisation=organisation,
            key=f"{brand.slug}-{product.slug}-{photo}",
            colour=brand.colour,
            accent=brand.accent,
            text=product.title,
            size=(800, 600),
            kind="product",
            angle=angle + photo * 90,
            created=run.images,
        )
        page.gallery_images.add(
            ProductGalleryImage(image=image, alt_text=product.title, sort_order=photo)
        )
    if product.ocop_stars:
        cert = _certificate(run, ProductCertification, "vietgap", 0)
        cert.kind, cert.ocop_stars = "ocop", product.ocop_stars
        cert.number = f"OCOP-AG-2024-{100 + position:03d}"
        issuers = run.data["ocop_issuer"]
        cert.issuer = (
            issuers["five_stars"] if product.ocop_stars == 5 else issuers["other"]
        )
        page.certifications.add(cert)
    if product.growing_area_code or product.category in run.data["traced_categories"]:
        issued = run.date("issued_on")
        page.traceability_records.add(
            TraceabilityRecord(
                lot_number=f"L{issued:%y%m}-{position + 1:02d}",
                growing_area_code=product.growing_area_code,
                packing_house_code=(
                    product.growing_area_code.replace("-0", "-PH-0", 1)
                    if product.growing_area_code
                    else ""
                ),
                harvested_on=run.date("harvested_on"),
                producer=organisation.display_name,
            )
        )


def _give_english_slug(
    run: _Run, page: Page, *, vietnamese_slug: str, slug: str
) -> None:
    """Rename an English product page seeded before English slugs existed.

    Only a page still on the Vietnamese slug and never edited (no revision)
    is renamed, so an editor's own slug always wins; Page.save() moves the
    URL paths of the page and anything below it.
    """
    if page.slug != vietnamese_slug or page.slug == slug or page.latest_revision_id:
        return
    page.slug = slug
    page.save(update_fields=["slug", "url_path"])
    run.renamed.append(page)
