"""Who may touch what: onboarding groups, collections and page permissions.

Every grant of a Wagtail permission to an organisation's people is made here,
so the whole access model can be read (and tested) in one module.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from .errors import (
    OrganisationNotOnboarded,
    OrganisationNotVerified,
    TaxCodeAlreadyVerified,
)
from .models import Membership, Organisation

PROVINCE_STAFF_GROUP = "Province staff"
ORGANISATIONS_COLLECTION = "Organisations"
# Workflow and task names are data, shown untranslated on the admin's buttons
# ("Gửi duyệt theo ..."), so they are in the members' language, Vietnamese.
MODERATION_WORKFLOW = "Quy trình kiểm duyệt của tỉnh"
MODERATION_TASK = "Cán bộ tỉnh phê duyệt"
# Their first, English names: renamed in place so a site keeps one workflow.
_MODERATION_FORMER_NAMES = ("Province moderation", "Province staff approval")
# Organisation members work in the Vietnamese admin unless they choose otherwise.
MEMBER_ADMIN_LANGUAGE = "vi"

# Per collection: what an organisation's members may do with their own media.
# No delete: an image in use on a live page must not vanish by mistake.
_IMAGE_CODENAMES = ("add_image", "change_image", "choose_image")
_DOCUMENT_CODENAMES = ("add_document", "change_document", "choose_document")
_EDITOR_PAGE_CODENAMES = ("add_page", "change_page")
_PUBLISHER_PAGE_CODENAMES = ("add_page", "change_page", "publish_page")


@dataclass(frozen=True)
class Onboarding:
    organisation: Organisation
    group: Group
    collection: Collection
    created: bool


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _group_name(organisation: Organisation) -> str:
    # The tax code keeps names unique when two firms share a trading name.
    return f"{organisation.display_name} [{organisation.tax_code}]"


def _organisations_root_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=ORGANISATIONS_COLLECTION).first()
    if existing:
        return existing
    return root.add_child(name=ORGANISATIONS_COLLECTION)


@transaction.atomic
def organisation_onboard(*, organisation: Organisation) -> Onboarding:
    """Create the organisation's Wagtail group and media collection, once.

    The group gets admin access and add/change/choose rights on images and
    documents in its own collection only. Running it again repairs missing
    grants and creates nothing new.

    Raises ``OrganisationNotVerified`` for an organisation province staff
    have not verified: anybody can type one in, and it must not get the
    admin or file uploads under the province's domain.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.is_verified:
        raise OrganisationNotVerified()
    created = False
    group = organisation.group
    if group is None:
        group, _ = Group.objects.get_or_create(name=_group_name(organisation))
        created = True
    collection = organisation.collection
    if collection is None:
        collection = _organisations_root_collection().add_child(
            name=_group_name(organisation)
        )
        created = True
    if created:
        organisation.group = group
        organisation.collection = collection
        organisation.save(update_fields=["group", "collection", "updated_at"])

    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    for app_label, codenames in (
        ("wagtailimages", _IMAGE_CODENAMES),
        ("wagtaildocs", _DOCUMENT_CODENAMES),
    ):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(app_label, codename),
            )
    for membership in organisation.memberships.select_related("user"):
        membership.user.groups.add(group)
    return Onboarding(
        organisation=organisation, group=group, collection=collection, created=created
    )


@transaction.atomic
def organisation_mark_verified(
    *, organisation: Organisation, by: AbstractUser | None
) -> Organisation:
    """Record that province staff verified ``organisation``; idempotent.

    Raises ``TaxCodeAlreadyVerified`` when another organisation with the same
    tax code is verified already: that is a dispute for staff, not a race
    the second click wins.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verified_at is not None:
        return organisation
    if (
        Organisation.objects.verified()
        .filter(tax_code=organisation.tax_code)
        .exclude(pk=organisation.pk)
        .exists()
    ):
        raise TaxCodeAlreadyVerified()
    organisation.verified_at = timezone.now()
    organisation.verified_by = by
    organisation.save(update_fields=["verified_at", "verified_by", "updated_at"])
    return organisation


@transaction.atomic
def organisation_grant_page_permissions(
    *, organisation: Organisation, page: Page
) -> None:
    """Give the organisation's group add/change on ``page`` and its subtree only.

    The grant covers every existing translation of ``page`` (the English
    brand page is a separate page tree): call it again after translating the
    brand page into a new language. Publishing goes through the moderation
    workflow; when the province allows owners to publish (OWNERS_CAN_PUBLISH),
    members may publish their subtree. With the setting off, any publish
    grant a previous run made is withdrawn.

    Raises ``OrganisationNotVerified`` for an unverified organisation and
    ``OrganisationNotOnboarded`` before ``organisation_onboard`` ran.
    """
    verified = Organisation.objects.verified().filter(pk=organisation.pk).exists()
    if not verified:
        raise OrganisationNotVerified()
    if organisation.group is None:
        raise OrganisationNotOnboarded()
    codenames = (
        _PUBLISHER_PAGE_CODENAMES
        if settings.OWNERS_CAN_PUBLISH
        else _EDITOR_PAGE_CODENAMES
    )
    pages = list(page.get_translations(inclusive=True)) if page.pk else [page]
    for translated in pages:
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=organisation.group,
                page=translated,
                permission=_permission("wagtailcore", codename),
            )
        if not settings.OWNERS_CAN_PUBLISH:
            GroupPagePermission.objects.filter(
                group=organisation.group,
                page=translated,
                permission__codename="publish_page",
                permission__content_type__app_label="wagtailcore",
            ).delete()


@transaction.atomic
def membership_add(
    *, organisation: Organisation, user: AbstractUser, role: Membership.Role | str
) -> Membership:
    """Make ``user`` a member with ``role`` and put them in the organisation's group."""
    membership, _ = Membership.objects.update_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    group_id = _group_id(organisation)
    if group_id is not None:
        user.groups.add(group_id)
    user_admin_language_default(user=user)
    return membership


def _group_id(organisation: Organisation) -> int | None:
    # Read from the database: the caller's instance may predate onboarding
    # (organisation_onboard saves the group on its own locked copy). Only a
    # verified organisation's group admits its members to the admin.
    return (
        Organisation.objects.verified()
        .filter(pk=organisation.pk)
        .values_list("group_id", flat=True)
        .first()
    )


@transaction.atomic
def user_admin_language_default(*, user: AbstractUser) -> None:
    """Make the Wagtail admin Vietnamese for ``user`` unless they chose a language.

    Without a stored preference Wagtail follows the browser's
    Accept-Language, so an editor on an English-language phone would get an
    English admin. The user can still switch in their account settings.
    """
    profile = UserProfile.get_for_user(user)
    if not profile.preferred_language:
        profile.preferred_language = MEMBER_ADMIN_LANGUAGE
        profile.save(update_fields=["preferred_language"])


@transaction.atomic
def moderation_workflow_ensure(*, pages: list[Page] | None = None) -> Workflow:
    """The province's moderation workflow: one approval task for province staff.

    Assigned to ``pages`` (the brand index pages of every language, so that
    every brand and product page below them is moderated). Idempotent:
    a second call creates and changes nothing.
    """
    staff = province_staff_group_ensure()
    former_workflow, former_task = _MODERATION_FORMER_NAMES
    Workflow.objects.filter(name=former_workflow).update(name=MODERATION_WORKFLOW)
    GroupApprovalTask.objects.filter(name=former_task).update(name=MODERATION_TASK)
    task = GroupApprovalTask.objects.filter(name=MODERATION_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=MODERATION_TASK)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    if not task.groups.filter(pk=staff.pk).exists():
        task.groups.add(staff)
    workflow, _ = Workflow.objects.get_or_create(
        name=MODERATION_WORKFLOW, defaults={"active": True}
    )
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    for page in pages or []:
        assignment = WorkflowPage.objects.filter(page=page).first()
        if assignment is None:
            WorkflowPage.objects.create(page=page, workflow=workflow)
        elif assignment.workflow_id != workflow.pk:
            assignment.workflow = workflow
            assignment.save(update_fields=["workflow"])
    return workflow


@transaction.atomic
def province_staff_group_ensure() -> Group:
    """The group of province staff: manage organisations, moderate every page."""
    group, _ = Group.objects.get_or_create(name=PROVINCE_STAFF_GROUP)
    organisation_ct = ContentType.objects.get_for_model(Organisation)
    group.permissions.add(
        _permission("wagtailadmin", "access_admin"),
        *Permission.objects.filter(content_type=organisation_ct),
        *Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Membership)
        ),
    )
    root_page = Page.get_first_root_node()
    for codename in (
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    ):
        GroupPagePermission.objects.get_or_create(
            group=group, page=root_page, permission=_permission("wagtailcore", codename)
        )
    root_collection = Collection.get_first_root_node()
    for app_label, codenames in (
        ("wagtailimages", (*_IMAGE_CODENAMES, "delete_image")),
        ("wagtaildocs", (*_DOCUMENT_CODENAMES, "delete_document")),
    ):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=_permission(app_label, codename),
            )
    return group


@transaction.atomic
def organisation_mark_unverified(*, organisation: Organisation) -> Organisation:
    """Withdraw the verification (a dispute staff resolved against the holder).

    The organisation and its records stay (orders and assessments must
    outlive it), but it counts nowhere again and its people leave its Wagtail
    group, so nobody keeps editing under a tax code that is not theirs.
    Memberships are kept as the record of who was there.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.verified_at = None
    organisation.verified_by = None
    organisation.save(update_fields=["verified_at", "verified_by", "updated_at"])
    if organisation.group is not None:
        organisation.group.user_set.clear()
    return organisation
