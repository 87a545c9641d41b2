"""Demo site pages in Vietnamese and English, for `manage.py seed_demo`."""

from __future__ import annotations

import json

from wagtail.models import Locale, Page, Site

from .models import HomePage, SiteSettings, StandardPage

HOME = {
    "vi": {
        "title": "Trang chủ",
        "hero_title": "Thương hiệu số An Giang",
        "hero_text": "Gạo thơm, đường thốt nốt, nước mắm, khô cá, lụa và thổ cẩm, trái cây: "
        "mua trực tiếp từ hợp tác xã và cơ sở sản xuất của tỉnh, có sao OCOP và truy xuất "
        "nguồn gốc.",
        "assessment_title": "Doanh nghiệp của bạn đã chuyển đổi số đến đâu?",
        "assessment_text": "Tự đánh giá miễn phí theo mô hình chỉ số DBI: biết mức độ theo "
        "từng trụ cột, so sánh với đơn vị cùng ngành và nhận các bước tiếp theo cụ thể.",
    },
    "en": {
        "title": "Home",
        "hero_title": "An Giang Digital Brands",
        "hero_text": "Fragrant rice, palm sugar, fish sauce, dried fish, silk and brocade, "
        "fruit: buy directly from the province's cooperatives and producers, with OCOP "
        "stars and traceability.",
        "assessment_title": "How digital is your business?",
        "assessment_text": "A free self-assessment modeled on Vietnam's DBI index: your "
        "level per pillar, a comparison with peers and concrete next steps.",
    },
}


def _paragraphs(*texts: str) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{t}</p>"} for t in texts])


STANDARD_PAGES = [
    {
        "slug": "gioi-thieu",
        "show_in_menus": True,
        "vi": {
            "title": "Giới thiệu",
            "introduction": "Cổng thương hiệu số giúp hợp tác xã, doanh nghiệp nhỏ và hộ kinh "
            "doanh của An Giang đưa sản phẩm lên mạng theo xu hướng quốc tế.",
            "body": _paragraphs(
                "Từ năm 2022, tỉnh hỗ trợ mỗi sản phẩm chủ lực có một thương hiệu trực tuyến. "
                "Mỗi đơn vị tự biên tập trang thương hiệu, câu chuyện, chứng nhận OCOP và "
                "thông tin truy xuất nguồn gốc của mình.",
                "Người mua trong và ngoài nước có thể mua sản phẩm của nhiều đơn vị trong một "
                "giỏ hàng và thanh toán trực tuyến.",
            ),
        },
        "en": {
            "title": "About",
            "introduction": "The digital brands portal helps An Giang's cooperatives, small "
            "firms and household businesses take their products online.",
            "body": _paragraphs(
                "Since 2022 the province has supported an online brand for each key product. "
                "Every producer edits its own brand page, story, OCOP certificates and "
                "traceability information.",
                "Buyers in Vietnam and abroad can fill one cart from several producers and pay "
                "online.",
            ),
        },
    },
    {
        "slug": "lien-he",
        "show_in_menus": True,
        "vi": {
            "title": "Liên hệ",
            "introduction": "Sở Công Thương tỉnh An Giang, Rạch Giá.",
            "body": _paragraphs(
                "Hợp tác xã hoặc doanh nghiệp muốn mở trang thương hiệu xin liên hệ qua "
                "thư điện tử hoặc điện thoại ghi ở cuối trang."
            ),
        },
        "en": {
            "title": "Contact",
            "introduction": "An Giang Department of Industry and Trade, Rạch Giá.",
            "body": _paragraphs(
                "Cooperatives or firms that want a brand page can reach us by the email or "
                "phone number at the bottom of the page."
            ),
        },
    },
    {
        "slug": "dieu-khoan",
        "show_in_menus": False,
        "vi": {
            "title": "Điều khoản sử dụng",
            "introduction": "Điều kiện mua bán và sử dụng cổng thương hiệu số.",
            "body": _paragraphs(
                "Giá niêm yết bằng đồng Việt Nam. Mỗi đơn vị bán chịu trách nhiệm về sản phẩm "
                "và việc giao hàng của mình. Đơn hàng chỉ được xác nhận khi thanh toán thành công."
            ),
        },
        "en": {
            "title": "Terms of use",
            "introduction": "Conditions of sale and use of the digital brands portal.",
            "body": _paragraphs(
                "Prices are in Vietnamese đồng. Each seller is responsible for its products and "
                "their delivery. An order is confirmed only once its payment succeeds."
            ),
        },
    },
    {
        "slug": "quyen-rieng-tu",
        "show_in_menus": False,
        "vi": {
            "title": "Chính sách quyền riêng tư",
            "introduction": "Chúng tôi thu thập những gì cần để giao hàng và hỗ trợ doanh "
            "nghiệp, không hơn.",
            "body": _paragraphs(
                "Kết quả tự đánh giá chuyển đổi số của một đơn vị chỉ thành viên của đơn vị đó "
                "và cán bộ tỉnh được xem. Số liệu công khai chỉ là số tổng hợp của ít nhất năm "
                "đơn vị."
            ),
        },
        "en": {
            "title": "Privacy policy",
            "introduction": "We collect what is needed to deliver orders and support "
            "businesses, nothing more.",
            "body": _paragraphs(
                "An organisation's self-assessment results are visible only to its members and "
                "province staff. Open data holds only aggregates of at least five organisations."
            ),
        },
    },
]

SETTINGS = {
    "tagline_vi": "Sản phẩm An Giang, câu chuyện của người làm ra",
    "tagline_en": "An Giang products, told by the people who make them",
    "footer_text_vi": "Cổng thương hiệu số của hợp tác xã, doanh nghiệp nhỏ và hộ kinh "
    "doanh tỉnh An Giang.",
    "footer_text_en": "The digital brands portal of An Giang's cooperatives, small firms and "
    "household businesses.",
    "contact_email": "thuonghieuso@an-giang.example",
    "contact_phone": "0297 3862 000",
    "address": "Sở Công Thương, phường Rạch Giá, tỉnh An Giang",
}


def _set_fields(page: Page, fields: dict) -> bool:
    changed = False
    for name, value in fields.items():
        if name == "body":
            current = [(b["type"], b["value"]) for b in page.body.raw_data]
            if current == [(b["type"], b["value"]) for b in json.loads(value)]:
                continue
            page.body = value
            changed = True
        elif getattr(page, name) != value:
            setattr(page, name, value)
            changed = True
    return changed


def _publish(page: Page) -> None:
    page.save_revision().publish()


def seed_site() -> HomePage:
    """Create or update the bilingual home page, standard pages and settings."""
    vi = Locale.objects.get(language_code="vi")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()

    home = HomePage.objects.filter(locale=vi).first()
    if home is None:
        # Wagtail's migration leaves a "Welcome" page at /home/; ours replaces it.
        for welcome in root.get_children().exclude(
            content_type__model="homepage", content_type__app_label="pages"
        ):
            welcome.delete()
        home = HomePage(slug="home", **HOME["vi"])
        root.add_child(instance=home)
        _publish(home)
    elif _set_fields(home, HOME["vi"]):
        _publish(home)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="An Giang Digital Brands",
        )
    elif site.root_page_id != home.pk or site.site_name != "An Giang Digital Brands":
        site.root_page = home
        site.site_name = "An Giang Digital Brands"
        site.save()
    site = Site.objects.get(is_default_site=True)

    home_en = home.get_translation_or_none(en)
    if home_en is None:
        home_en = home.copy_for_translation(en)
        _set_fields(home_en, HOME["en"])
        _publish(home_en)
    elif _set_fields(home_en.specific, HOME["en"]):
        _publish(home_en.specific)

    for spec in STANDARD_PAGES:
        page = StandardPage.objects.filter(locale=vi, slug=spec["slug"]).first()
        if page is None:
            page = StandardPage(
                slug=spec["slug"], show_in_menus=spec["show_in_menus"], **spec["vi"]
            )
            home.add_child(instance=page)
            _publish(page)
        elif _set_fields(page, spec["vi"]):
            _publish(page)
        page_en = page.get_translation_or_none(en)
        if page_en is None:
            page_en = page.copy_for_translation(en)
            _set_fields(page_en, spec["en"])
            _publish(page_en)
        elif _set_fields(page_en.specific, spec["en"]):
            _publish(page_en.specific)

    settings_obj = SiteSettings.for_site(site)
    if any(getattr(settings_obj, k) != v for k, v in SETTINGS.items()):
        for key, value in SETTINGS.items():
            setattr(settings_obj, key, value)
        settings_obj.save()
    return home
