"""Demo brands, products, variants and generated images, for `manage.py seed_demo`.

Idempotent: objects are looked up by stable keys (slugs, SKUs, image titles)
and only created when missing, so a second run adds and changes no rows.
"""

from __future__ import annotations

import datetime
import io
import json
import math
from functools import cache

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from core.page_cache import page_cache_purge
from core.text import ascii_slug, fold
from organisations.demo import DEMO_ORGANISATIONS
from organisations.models import Organisation
from organisations.services import organisation_grant_page_permissions

from .demo_data import DEMO_BRANDS, DemoBrand, DemoProduct
from .models import (
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

# Fixed dates keep a re-run identical (no "today" in stored data).
ISSUED = datetime.date(2024, 3, 15)
EXPIRED_ISSUED = datetime.date(2021, 6, 1)
PUBLISHED_AT = datetime.datetime(2026, 1, 15, 8, 0, tzinfo=datetime.UTC)
FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

CERTIFICATES = {
    "vietgap": ("vietgap", None, "VietGAP-TT-15-0412", "Trung tâm Chứng nhận VietGAP"),
    "globalgap": ("globalgap", None, "GGN 4063061123456", "Control Union"),
    "organic": ("organic", None, "TCVN 11041-2:2017/ORG-0278", "Vinacert"),
    "haccp": ("haccp", None, "HACCP-VN-2024-0881", "Quacert"),
    "gi": ("gi", None, "GI-00127", "Cục Sở hữu trí tuệ"),
    "ocop_expired": ("ocop", 3, "OCOP-AG-2021-117", "UBND tỉnh An Giang"),
}
VALIDITY_DAYS = 3 * 365


def seed() -> None:
    # Indexing references after every save (page, then each child row) is most
    # of the seeding time; index each new page once at the end instead.
    with disable_reference_index_auto_update():
        created = _seed()
    for page in created:
        ReferenceIndex.create_or_update_for_object(page)
    for image in _CREATED_IMAGES:
        ReferenceIndex.create_or_update_for_object(image)
    _CREATED_IMAGES.clear()
    # Demo pages go live without Wagtail's publish signals: purge cached
    # pages ourselves when this run added or renamed any.
    if created or _RENAMED_PAGES:
        page_cache_purge()
    _RENAMED_PAGES.clear()


_CREATED_IMAGES: list = []
_CREATED_PAGES: list = []
_RENAMED_PAGES: list = []


def _seed() -> list[Page]:
    _CREATED_PAGES.clear()
    en = Locale.objects.get(language_code="en")
    # The default site's root is the Vietnamese home page (pages.demo).
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = _ensure_child(
        home,
        BrandIndexPage,
        slug="thuong-hieu",
        vi={"title": "Thương hiệu", "introduction": _INDEX_INTRO["vi"]},
        en={"title": "Brands", "slug": "brands", "introduction": _INDEX_INTRO["en"]},
        en_locale=en,
    )
    _ensure_child(
        home,
        CataloguePage,
        slug="san-pham",
        vi={"title": "Sản phẩm", "introduction": _CATALOGUE_INTRO["vi"]},
        en={
            "title": "Products",
            "slug": "products",
            "introduction": _CATALOGUE_INTRO["en"],
        },
        en_locale=en,
    )
    organisations = {
        o.tax_code: o
        for o in Organisation.objects.select_related("collection", "commune")
    }
    tax_codes = {demo.slug: demo.tax_code for demo in DEMO_ORGANISATIONS}
    for brand in DEMO_BRANDS:
        organisation = organisations[tax_codes[brand.slug]]
        brand_page = _seed_brand(index, brand, organisation, en)
        for page in (brand_page, brand_page.get_translation_or_none(en)):
            if page is not None:
                organisation_grant_page_permissions(
                    organisation=organisation, page=page
                )
    created = list(_CREATED_PAGES)
    _CREATED_PAGES.clear()
    return created


_INDEX_INTRO = {
    "vi": "Hợp tác xã, doanh nghiệp và hộ kinh doanh của An Giang kể câu chuyện sản "
    "phẩm của mình.",
    "en": "An Giang's cooperatives, firms and household businesses tell the story of "
    "their products.",
}
_CATALOGUE_INTRO = {
    "vi": "Mọi sản phẩm của các thương hiệu An Giang, mua chung một giỏ hàng.",
    "en": "Every product of An Giang's brands, in one cart.",
}


def _add_live(parent: Page, page: Page) -> Page:
    """Add ``page`` under ``parent`` as live, without a revision.

    Demo pages skip the revision/publish round trip (and copy_for_translation
    for English), which would triple the seeding time; the admin creates the
    first revision on the first edit.
    """
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = PUBLISHED_AT
    parent.add_child(instance=page)
    _CREATED_PAGES.append(page)
    return page


def _translation_of(page: Page, locale: Locale, **fields) -> Page:
    """The ``locale`` version of ``page``: created from ``fields`` if missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    parent = page.get_parent().get_translation(locale)
    values = {
        f.name: getattr(page, f.name)
        for f in page._meta.concrete_fields
        if f.model is type(page) and not f.primary_key and f.name != "page_ptr"
    }
    values["title"] = page.title
    values.update(fields)
    values.setdefault("slug", page.slug)
    translated = type(page)(
        locale=locale,
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
    return _add_live(parent, translated)


def _ensure_child(parent, model, *, slug, vi, en, en_locale, **extra):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = _add_live(parent, model(slug=slug, show_in_menus=True, **vi, **extra))
    _translation_of(page, en_locale, **en)
    return page


def _story(brand: DemoBrand, organisation: Organisation, language: str) -> str:
    english = language == "en"
    founded = organisation.founded_year or 2010
    blocks = [
        {
            "type": "paragraph",
            "value": f"<p>{brand.story_en if english else brand.story}</p>",
        },
        {
            "type": "timeline",
            "value": {
                "heading": "Our journey" if english else "Hành trình",
                "milestones": [
                    {
                        "year": founded,
                        "title": "Founded" if english else "Thành lập",
                        "text": "",
                    },
                    {
                        "year": 2022,
                        "title": "Online brand"
                        if english
                        else "Thương hiệu trực tuyến",
                        "text": "Joined the province's digital brands programme."
                        if english
                        else "Tham gia chương trình thương hiệu số của tỉnh.",
                    },
                ],
            },
        },
        {
            "type": "quote",
            "value": {
                "text": "Quality starts in the field."
                if english
                else "Chất lượng bắt đầu từ đồng ruộng.",
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


def _seed_brand(index, brand: DemoBrand, organisation: Organisation, en: Locale):
    page = BrandPage.objects.child_of(index).filter(slug=brand.slug).first()
    if page is None:
        page = BrandPage(
            slug=brand.slug,
            title=organisation.trading_name or organisation.legal_name,
            organisation=organisation,
            tagline=brand.tagline,
            brand_colour=brand.colour,
            accent_colour=brand.accent,
            story=_story(brand, organisation, "vi"),
            phone=organisation.phone,
            email=organisation.email,
            address=f"{organisation.address}, {organisation.commune.name}",
            facebook_url=f"https://www.facebook.com/{brand.slug}.example",
            zalo_url=f"https://zalo.me/{brand.slug}-example",
            shopee_url=f"https://shopee.vn/{brand.slug}.example",
            logo=_image(
                organisation,
                f"{brand.slug}-logo",
                brand.colour,
                brand.accent,
                organisation.display_name,
                (480, 480),
                "logo",
            ),
            hero_image=_image(
                organisation,
                f"{brand.slug}-hero",
                brand.colour,
                brand.accent,
                brand.tagline,
                (1280, 560),
                "hero",
            ),
        )
        for position, key in enumerate(brand.certificates):
            page.certifications.add(_certificate(BrandCertification, key, position))
        _add_live(index, page)
    page_en = _translation_of(
        page,
        en,
        tagline=brand.tagline_en,
        story=_story(brand, organisation, "en"),
    )
    for position, product in enumerate(brand.products):
        _seed_product(page, page_en, product, brand, organisation, position, en)
    return page


def _certificate(model, key: str, position: int):
    kind, stars, number, issuer = CERTIFICATES[key]
    issued = EXPIRED_ISSUED if key == "ocop_expired" else ISSUED
    return model(
        kind=kind,
        ocop_stars=stars,
        number=number,
        issuer=issuer,
        issued_on=issued,
        valid_until=issued + datetime.timedelta(days=VALIDITY_DAYS),
        sort_order=position,
    )


def _seed_product(
    brand_page,
    brand_page_en,
    product: DemoProduct,
    brand,
    organisation,
    position: int,
    en: Locale,
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
            storage="Nơi khô ráo, thoáng mát"
            if product.category != "fruit"
            else "Ngăn mát",
            description=json.dumps(
                [
                    {
                        "type": "paragraph",
                        "value": f"<p>{product.short} {brand.story}</p>",
                    }
                ]
            ),
        )
        angle = position * 47
        for photo in range(2 if position == 0 else 1):
            image = _image(
                organisation,
                f"{brand.slug}-{product.slug}-{photo}",
                brand.colour,
                brand.accent,
                product.title,
                (800, 600),
                "product",
                angle + photo * 90,
            )
            page.gallery_images.add(
                ProductGalleryImage(
                    image=image, alt_text=product.title, sort_order=photo
                )
            )
        if product.ocop_stars:
            cert = _certificate(ProductCertification, "vietgap", 0)
            cert.kind, cert.ocop_stars = "ocop", product.ocop_stars
            cert.number = f"OCOP-AG-2024-{100 + position:03d}"
            cert.issuer = (
                "Bộ Nông nghiệp và Môi trường"
                if product.ocop_stars == 5
                else "UBND tỉnh An Giang"
            )
            page.certifications.add(cert)
        if product.growing_area_code or product.category in {"fish_sauce", "dried"}:
            page.traceability_records.add(
                TraceabilityRecord(
                    lot_number=f"L{ISSUED:%y%m}-{position + 1:02d}",
                    growing_area_code=product.growing_area_code,
                    packing_house_code=(
                        product.growing_area_code.replace("-0", "-PH-0", 1)
                        if product.growing_area_code
                        else ""
                    ),
                    harvested_on=datetime.date(2026, 9, 20),
                    producer=organisation.display_name,
                )
            )
        _add_live(brand_page, page)
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
    existing = page.get_translation_or_none(en)
    if existing is not None:
        _give_english_slug(existing, vietnamese_slug=page.slug, slug=english_slug)
    else:
        translated = _translation_of(
            page,
            en,
            slug=english_slug,
            title=product.title_en,
            short_description=product.short_en,
            shelf_life=product.shelf_life_en,
            storage="Keep chilled"
            if product.category == "fruit"
            else "Keep cool and dry",
            description=json.dumps(
                [
                    {
                        "type": "paragraph",
                        "value": f"<p>{product.short_en} {brand.story_en}</p>",
                    }
                ]
            ),
        )
        ProductGalleryImage.objects.filter(page=translated).update(
            alt_text=product.title_en
        )


def _give_english_slug(page: Page, *, vietnamese_slug: str, slug: str) -> None:
    """Rename an English product page seeded before English slugs existed.

    Only a page still on the Vietnamese slug and never edited (no revision)
    is renamed, so an editor's own slug always wins; Page.save() moves the
    URL paths of the page and anything below it.
    """
    if page.slug != vietnamese_slug or page.slug == slug or page.latest_revision_id:
        return
    page.slug = slug
    page.save(update_fields=["slug", "url_path"])
    _RENAMED_PAGES.append(page)


@cache
def _font(size: int):
    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _image(
    organisation,
    key: str,
    colour: str,
    accent: str,
    text: str,
    size,
    kind,
    angle: int = 0,
):
    """A generated picture (gradient, shapes, folded text); one row per key."""
    Image = get_image_model()
    title = f"demo:{key}"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    width, height = size
    base, light = _hex(colour), _hex(accent)
    gradient = PILImage.linear_gradient("L").resize((width, height))
    picture = PILImage.composite(
        PILImage.new("RGB", size, base),
        PILImage.new("RGB", size, tuple(min(255, c + 60) for c in base)),
        gradient.rotate(angle % 360, expand=False),
    )
    draw = ImageDraw.Draw(picture)
    cx = width // 2 + int(width * 0.2 * math.cos(math.radians(angle)))
    cy = height // 2
    radius = min(width, height) // 3
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=light)
    draw.ellipse(
        (cx - radius // 2, cy - radius // 2, cx + radius // 2, cy + radius // 2),
        fill=tuple(255 - c // 3 for c in light),
    )
    # The bundled font has no Vietnamese marks everywhere; print folded text.
    label = (
        fold(text).upper()
        if kind != "logo"
        else "".join(word[0] for word in fold(text).split()[:3]).upper()
    )
    font = _font(min(width, height) // (4 if kind == "logo" else 12))
    box = draw.textbbox((0, 0), label, font=font)
    draw.text(
        ((width - (box[2] - box[0])) // 2, height - (box[3] - box[1]) - height // 10),
        label[:40],
        font=font,
        fill=(255, 255, 255),
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=72, optimize=True)
    image = Image(
        title=title,
        file=ImageFile(buffer, name=f"{key}.jpg"),
        collection=organisation.collection,
        focal_point_x=cx,
        focal_point_y=cy,
        focal_point_width=radius * 2,
        focal_point_height=radius * 2,
    )
    image.save()
    _CREATED_IMAGES.append(image)
    return image
