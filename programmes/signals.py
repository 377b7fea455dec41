"""Every saved or deleted programme, centre or session throws away the programmes' rendered
fragments (core.fragments, scope "programmes").

The public pages (programme list, session search and detail, the centre pages' session
cards) show that reference data from fragments rendered once per process. What changes with
every enrolment (seats left, the waiting list) is read live on every request and is part of
the key of the fragments that show it, so an enrolment needs no bump; what is personal (the
viewer's own place) is never in a fragment. Bulk writes that send no signal (`bulk_create`,
`QuerySet.update`) must call `bump(SCOPE)` themselves, as `programmes.reference.load` does.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from core.fragments import bump
from programmes.models import Centre, Programme, Session

SCOPE = "programmes"


def programmes_changed(sender: type, **kwargs: Any) -> None:
    bump(SCOPE)


def programme_saved(sender: type, **kwargs: Any) -> None:
    """A programme's track, position or name may have moved it in the published order: the
    sessions carry that place as their sort key (programmes.ranks)."""
    from programmes.ranks import rerank_sessions

    if not kwargs.get("raw"):  # fixtures load sessions with their stored ranks
        rerank_sessions()


post_save.connect(programme_saved, sender=Programme, dispatch_uid="programmes-session-ranks")
for _model in (Programme, Centre, Session):
    post_save.connect(programmes_changed, sender=_model, dispatch_uid=f"programmes-fragments-save-{_model.__name__}")
    post_delete.connect(programmes_changed, sender=_model, dispatch_uid=f"programmes-fragments-delete-{_model.__name__}")
