"""Every saved or deleted service throws away the catalogue's rendered fragments (core.fragments).

The public list and detail pages show the catalogue from fragments rendered once per process
(catalog.views); an operator's edit in the staff screen or the admin, or a reference-data load,
shows on the next request. Bulk writes that send no signal (`QuerySet.update`, `bulk_create`)
must call `bump("catalogue")` themselves, as `catalog.reference.load` does.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.models import Service
from core.fragments import bump

SCOPE = "catalogue"


@receiver(post_save, sender=Service, dispatch_uid="catalog-fragments-save")
@receiver(post_delete, sender=Service, dispatch_uid="catalog-fragments-delete")
def catalogue_changed(sender: type[Service], **kwargs: Any) -> None:
    bump(SCOPE)
