"""Background work of the brands app (django-tasks: immediate in dev and tests,
the database worker in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def page_renditions_warm_task(page_id: int) -> int:
    """Create the renditions a just-published brand or product page shows."""
    from wagtail.models import Page

    from .renditions import pages_renditions_warm

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    return pages_renditions_warm([page])
