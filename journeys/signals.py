"""Every saved or deleted case story throws away the renderings that show it (core.fragments,
scope "case-stories"): the guide map's kept main part (journeys/plan_version.py) is keyed by
its stamp. Bulk writes that send no signal (`QuerySet.update`, `bulk_create`) must call
`bump(SCOPE)` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.fragments import bump
from journeys.models import CaseStory

SCOPE = "case-stories"


@receiver(post_save, sender=CaseStory, dispatch_uid="journeys-case-stories-save")
@receiver(post_delete, sender=CaseStory, dispatch_uid="journeys-case-stories-delete")
def case_stories_changed(sender: type[CaseStory], **kwargs: Any) -> None:
    bump(SCOPE)
