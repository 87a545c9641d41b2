"""Who may touch what in the Wagtail admin: the scope of one admin user.

Wagtail's permissions say what a user may *do* to a page or image; they do
not stop a chooser, a listing or an id in a URL from *showing* another
organisation's work. The scope computed here is the single answer to "is
this object inside the user's house?", used by the route guard
(``admin_guard``), the chooser/explorer/listing hooks and the admin API.

- Unrestricted users (superusers and province staff) see everything; Wagtail's
  own permissions still apply to them.
- Everyone else is scoped to the page subtrees their groups hold page
  permissions on (an organisation's brand page, in every language) and to the
  collections their groups hold image/document permissions on.
- Pages of *other* organisations are "foreign": never chosen, listed or shown.
  Published pages that belong to no organisation (home, about...) may be
  linked to from the page chooser; unpublished ones may not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Q, QuerySet
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from .models import Membership
from .selectors import user_is_province_staff

_SCOPE_CACHE_ATTRIBUTE = "_organisations_admin_scope"


@dataclass(frozen=True)
class AdminScope:
    """Treebeard paths bounding what one user may see in the admin."""

    unrestricted: bool
    # The user reaches the admin only through an unverified organisation's
    # group (left from before verification was required, or verification
    # withdrawn): refused outright, whatever the route.
    withheld: bool = False
    page_paths: tuple[str, ...] = ()
    foreign_page_paths: tuple[str, ...] = ()
    collection_paths: tuple[str, ...] = ()

    def owns_page(self, page: Page) -> bool:
        """The page is inside one of the user's own subtrees."""
        return self.unrestricted or _under(page.path, self.page_paths)

    def leads_to_page(self, page: Page) -> bool:
        """The page is an ancestor of the user's subtrees (explorer navigation)."""
        return self.unrestricted or any(
            path.startswith(page.path) for path in self.page_paths
        )

    def may_see_page(self, page: Page) -> bool:
        return self.owns_page(page) or self.leads_to_page(page)

    def may_choose_page(self, page: Page) -> bool:
        """Own pages, the way to them, and published pages of no organisation.

        Never another organisation's page, and never an unpublished site page
        (its title and slug are nobody's business before it goes live).
        """
        if self.unrestricted or self.may_see_page(page):
            return True
        return page.live and not _under(page.path, self.foreign_page_paths)

    def owns_collection(self, collection: Collection | None) -> bool:
        if self.unrestricted:
            return True
        return collection is not None and _under(collection.path, self.collection_paths)

    # Querysets, for hooks and listings.

    def owned_pages(self, pages: QuerySet) -> QuerySet:
        if self.unrestricted:
            return pages
        return pages.filter(_path_q(self.page_paths))

    def visible_pages(self, pages: QuerySet) -> QuerySet:
        """Own subtrees plus the ancestors leading to them."""
        if self.unrestricted:
            return pages
        return pages.filter(self._visible_q())

    def _visible_q(self) -> Q:
        ancestor_paths = {
            path[:length]
            for path in self.page_paths
            for length in range(Page.steplen, len(path), Page.steplen)
        }
        return _path_q(self.page_paths) | Q(path__in=ancestor_paths)

    def choosable_pages(self, pages: QuerySet) -> QuerySet:
        """The pages ``may_choose_page`` accepts."""
        if self.unrestricted:
            return pages
        # One filter (not a union of querysets) so that specific() and the
        # search backend's filtering keep working on the result.
        return pages.filter(
            self._visible_q() | (Q(live=True) & ~_path_q(self.foreign_page_paths))
        )

    def owned_collection_members(self, objects: QuerySet) -> QuerySet:
        """Images or documents in the user's own collections."""
        if self.unrestricted:
            return objects
        # collection__in (an indexed filter field), not a path lookup, so the
        # choosers' search backend can apply it too.
        collections = Collection.objects.filter(_path_q(self.collection_paths))
        return objects.filter(
            collection__in=list(collections.values_list("pk", flat=True))
        )


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path.startswith(root) for root in roots)


def _path_q(paths: Iterable[str], prefix: str = "") -> Q:
    query = Q(pk__in=[])  # matches nothing when there are no paths
    for path in paths:
        query |= Q(**{f"{prefix}path__startswith": path})
    return query


def _outermost(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths nested in another path of the set."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(root) for root in kept):
            kept.append(path)
    return tuple(kept)


def admin_scope(*, user: AbstractBaseUser | AnonymousUser) -> AdminScope:
    """The scope of ``user``, computed once per request (cached on the user)."""
    cached = getattr(user, _SCOPE_CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        scope = AdminScope(unrestricted=False)
    elif user_is_province_staff(user=user):
        scope = AdminScope(unrestricted=True)
    else:
        # Groups of unverified organisations grant nothing: anybody can type
        # an organisation in, and it waits for province staff.
        groups = user.groups.all()
        unverified = groups.filter(
            organisation__isnull=False, organisation__verified_at__isnull=True
        )
        group_ids = list(
            groups.exclude(pk__in=unverified.values("pk")).values_list("pk", flat=True)
        )
        # Members of an unverified organisation get a page saying why, not
        # Wagtail's login redirect (they are signed in already).
        waiting = (
            unverified.exists()
            or Membership.objects.filter(
                user=user, organisation__verified_at__isnull=True
            ).exists()
        )
        withheld = (
            waiting
            and not Permission.objects.filter(
                Q(group__in=group_ids) | Q(user=user),
                content_type__app_label="wagtailadmin",
                codename="access_admin",
            ).exists()
        )
        own_paths = _outermost(
            GroupPagePermission.objects.filter(group_id__in=group_ids).values_list(
                "page__path", flat=True
            )
        )
        foreign_paths = _outermost(
            path
            for path in GroupPagePermission.objects.filter(
                group__organisation__isnull=False
            )
            .exclude(group_id__in=group_ids)
            .values_list("page__path", flat=True)
            if not _under(path, own_paths)
        )
        collection_paths = _outermost(
            GroupCollectionPermission.objects.filter(
                group_id__in=group_ids
            ).values_list("collection__path", flat=True)
        )
        scope = AdminScope(
            unrestricted=False,
            withheld=withheld,
            page_paths=own_paths,
            foreign_page_paths=foreign_paths,
            collection_paths=collection_paths,
        )
    setattr(user, _SCOPE_CACHE_ATTRIBUTE, scope)
    return scope


def brand_pages_for_user(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Page]:
    """The roots of the user's own subtrees (their brand page in each language)."""
    scope = admin_scope(user=user)
    if scope.unrestricted:
        return Page.objects.none()
    return Page.objects.filter(path__in=scope.page_paths).select_related("locale")
