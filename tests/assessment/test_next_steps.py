"""Next steps act: each link on the results page goes to the exact place
(issue 11, "Next steps act")."""

from __future__ import annotations

from django.urls import reverse

from assessment.results import action_links, application_form_link, result_view
from brands.selectors import brand_admin_links
from organisations.models import Membership
from organisations.services import organisation_grant_page_permissions
from tests.factories import OrganisationFactory, member
from tests.factories.assessment import submitted_assessment
from tests.factories.brands import brand_page, product_page


def _brand_with_owner(*, products: int = 1):
    brand = brand_page()
    organisation = brand.organisation
    organisation_grant_page_permissions(organisation=organisation, page=brand)
    products_made = [product_page(brand) for _ in range(products)]
    owner = member(organisation, Membership.Role.OWNER)
    return brand, products_made, organisation, owner


def test_the_selector_names_the_exact_admin_places(site_pages):
    brand, (product,), organisation, _owner = _brand_with_owner()
    links = brand_admin_links(organisation=organisation)
    assert links is not None
    assert links.brand_edit == reverse("wagtailadmin_pages:edit", args=(brand.pk,))
    assert links.product_traceability == reverse(
        "wagtailadmin_pages:edit", args=(product.pk,)
    )
    assert links.label_sheet == reverse(
        "brands:label_sheet", args=(brand.translation_key,)
    )


def test_every_next_step_link_opens_for_the_owner(client, site_pages, framework):
    brand, _products, organisation, owner = _brand_with_owner()
    assessment = submitted_assessment(organisation, owner, option=0, share=0)
    client.force_login(owner)
    links = action_links(organisation=organisation)
    urls = {url for group in links.values() for _label, url in group}
    assert reverse("wagtailadmin_pages:edit", args=(brand.pk,)) in urls
    assert len(urls) == 4  # brand, traceability, labels, payments
    for url in urls:
        assert "/admin/" != url
        assert client.get(url).status_code == 200, url
    # The results page shows them where the framework asks for them.
    page = client.get(
        reverse("assessment:results", kwargs={"public_id": assessment.public_id})
    ).content.decode()
    view = result_view(assessment=assessment, language="vi")
    shown = {url for p in view.pillars for _label, url in p.actions}
    assert shown == urls
    next_steps = page[page.index('id="next-heading"') :]
    assert 'href="/admin/"' not in next_steps
    assert any(f'href="{url}"' in next_steps for url in urls)


def test_a_brand_without_products_is_sent_to_add_its_first(
    client, site_pages, framework
):
    brand, _none, organisation, owner = _brand_with_owner(products=0)
    links = brand_admin_links(organisation=organisation)
    assert links is not None and not links.has_products
    assert links.product_traceability == reverse(
        "wagtailadmin_pages:add", args=("brands", "productpage", brand.pk)
    )
    client.force_login(owner)
    assert client.get(links.product_traceability).status_code == 200


def test_an_organisation_without_a_brand_gets_no_dead_admin_link(client, framework):
    organisation = OrganisationFactory(verified_at=None)
    owner = member(organisation, Membership.Role.OWNER)
    assert brand_admin_links(organisation=organisation) is None
    links = action_links(organisation=organisation)
    expected = application_form_link()
    assert all(group == ((expected,) if expected else ()) for group in links.values())
    assessment = submitted_assessment(organisation, owner, option=0, share=0)
    client.force_login(owner)
    page = client.get(
        reverse("assessment:results", kwargs={"public_id": assessment.public_id})
    ).content.decode()
    assert 'href="/admin/"' not in page[page.index('id="next-heading"') :]
