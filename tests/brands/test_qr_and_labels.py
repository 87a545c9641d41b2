"""Stable product links, QR codes and the printable label sheet."""

from __future__ import annotations

import uuid

from tests.factories import member, onboarded_organisation
from tests.factories.brands import brand_page, product_page


def test_stable_link_survives_a_slug_change(client, site_pages):
    product = product_page(brand_page(), slug="gao-cu")
    key = product.translation_key
    product.slug = "gao-moi"
    product.save_revision().publish()
    response = client.get(f"/p/{key}/")
    assert response.status_code == 302
    assert response["Location"].endswith("/gao-moi/")


def test_qr_svg_and_png(client, site_pages):
    product = product_page(brand_page())
    svg = client.get(f"/p/{product.translation_key}/qr.svg")
    png = client.get(f"/p/{product.translation_key}/qr.png")
    assert svg.status_code == png.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<svg")
    assert png["Content-Type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/p/{uuid.uuid4()}/qr.svg").status_code == 404
    assert client.get("/p/123/qr.svg").status_code == 404


def test_label_sheet_for_members_only(client, site_pages):
    brand = brand_page()
    product_page(brand, title="Gạo ST25")
    url = f"/brand-labels/{brand.translation_key}/?copies=2"
    assert client.get(url).status_code == 302  # to login
    client.force_login(member(onboarded_organisation()))
    assert client.get(url).status_code == 403
    client.force_login(member(brand.organisation))
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="label"') == 2
    assert "Gạo ST25" in html and "@media print" not in html  # CSS is in brands.css
    assert client.get(url.replace("copies=2", "copies=abc")).status_code == 200
