"""One door to offers and invitations: only the person they were sent to may open them;
a wrong or someone else's token is the same 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from rescue.models import Invitation, RescueOffer


def access_offer(request: HttpRequest, token: str) -> RescueOffer:
    offer = (
        RescueOffer.objects.select_related("enrolment__session__programme", "enrolment__session__centre")
        .filter(token=token, user_id=request.user.pk or 0)
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def access_invitation(request: HttpRequest, token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("session__programme", "session__centre")
        .filter(token=token, user_id=request.user.pk or 0)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation
