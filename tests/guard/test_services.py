"""Onboarding services of the access model: translations, moderation, admin language."""

from __future__ import annotations

import pytest
from django.utils import translation
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from brands.models import BrandPage
from organisations.access import admin_scope
from organisations.errors import OrganisationError, OrganisationNotOnboarded
from organisations.models import Membership, Organisation
from organisations.services import (
    MODERATION_TASK,
    MODERATION_WORKFLOW,
    PROVINCE_STAFF_GROUP,
    membership_add,
    moderation_workflow_ensure,
    organisation_grant_page_permissions,
    organisation_onboard,
)
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    member,
    onboarded_organisation,
)
from tests.factories.pages import BrandIndexPageFactory


def test_page_grant_needs_an_onboarded_organisation(site_pages):
    organisation = OrganisationFactory()
    brand = BrandPage(title="Gạo Hưng Phát", organisation=organisation)
    BrandIndexPageFactory(parent=site_pages, publish=True).add_child(instance=brand)

    with pytest.raises(OrganisationNotOnboarded) as error:
        organisation_grant_page_permissions(organisation=organisation, page=brand)

    assert isinstance(error.value, OrganisationError)
    assert error.value.code == "not_onboarded"
    with translation.override("en"):
        assert str(error.value.message) == (
            "Onboard the organisation before granting page permissions."
        )
    assert not GroupPagePermission.objects.filter(page=brand).exists()


def test_page_grant_covers_every_translation_of_the_brand_page(site_pages):
    organisation = onboarded_organisation()
    index = BrandIndexPageFactory(parent=site_pages, publish=True)
    brand = BrandPage(title="Gạo Hưng Phát", organisation=organisation)
    index.add_child(instance=brand)
    english_index = index.copy_for_translation(Locale.objects.get(language_code="en"))
    english = brand.copy_for_translation(Locale.objects.get(language_code="en"))
    assert english_index.pk and english.pk

    organisation_grant_page_permissions(organisation=organisation, page=brand)

    granted = set(
        GroupPagePermission.objects.filter(group=organisation.group).values_list(
            "page_id", "permission__codename"
        )
    )
    assert granted == {
        (brand.pk, "add_page"),
        (brand.pk, "change_page"),
        (english.pk, "add_page"),
        (english.pk, "change_page"),
    }
    editor = member(organisation, Membership.Role.EDITOR)
    scope = admin_scope(user=editor)
    assert scope.owns_page(brand) and scope.owns_page(english)
    assert not scope.owns_page(index)
    assert scope.leads_to_page(index) and scope.leads_to_page(english_index)


def test_moderation_workflow_is_created_once_for_province_staff(site_pages):
    index = BrandIndexPageFactory(parent=site_pages, publish=True)

    workflow = moderation_workflow_ensure(pages=[index])
    counts = (
        Workflow.objects.count(),
        WorkflowTask.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
    )
    again = moderation_workflow_ensure(pages=[index])

    assert again.pk == workflow.pk
    assert counts == (
        Workflow.objects.count(),
        WorkflowTask.objects.count(),
        GroupApprovalTask.objects.count(),
        WorkflowPage.objects.count(),
    )
    assert WorkflowPage.objects.get(page=index).workflow == workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [PROVINCE_STAFF_GROUP]


def test_moderation_workflow_keeps_its_first_english_named_rows_renamed(site_pages):
    index = BrandIndexPageFactory(parent=site_pages, publish=True)
    old_task = GroupApprovalTask.objects.create(name="Province staff approval")
    old = Workflow.objects.create(name="Province moderation", active=True)
    WorkflowTask.objects.create(workflow=old, task=old_task, sort_order=0)

    workflow = moderation_workflow_ensure(pages=[index])

    # One workflow and one task, the same rows, named for the Vietnamese admin.
    names = (MODERATION_WORKFLOW, "Province moderation")
    assert list(Workflow.objects.filter(name__in=names).values_list("pk", "name")) == [
        (old.pk, MODERATION_WORKFLOW)
    ]
    names = (MODERATION_TASK, "Province staff approval")
    assert list(
        GroupApprovalTask.objects.filter(name__in=names).values_list("pk", "name")
    ) == [(old_task.pk, MODERATION_TASK)]
    assert workflow.pk == old.pk


def test_new_members_get_the_vietnamese_admin_but_keep_their_own_choice(db):
    organisation = onboarded_organisation()
    newcomer = member(organisation, Membership.Role.EDITOR)
    chooser = UserFactory()
    profile = UserProfile.get_for_user(chooser)
    profile.preferred_language = "en"
    profile.save()

    membership_add(organisation=organisation, user=chooser, role="owner")

    assert UserProfile.get_for_user(newcomer).preferred_language == "vi"
    assert UserProfile.get_for_user(chooser).preferred_language == "en"


def test_members_join_the_group_even_with_the_instance_from_before_onboarding(db):
    organisation = OrganisationFactory()
    organisation_onboard(organisation=organisation)  # the instance is now stale
    user = UserFactory()

    membership_add(organisation=organisation, user=user, role="owner")

    group = Organisation.objects.get(pk=organisation.pk).group
    assert list(user.groups.all()) == [group]
    assert admin_scope(user=user).collection_paths == (
        Organisation.objects.get(pk=organisation.pk).collection.path,
    )
