"""URL patterns of 폐강 prevention. They live under /programmes/ in the `programmes`
namespace (links in sent messages must keep working), so programmes/urls.py splices them
in *before* its final `<slug:slug>/` pattern rather than this app having its own prefix."""

from django.urls import path

from rescue import views as rescue_views

urlpatterns = [
    path("staff/at-risk/", rescue_views.at_risk, name="rescue_at_risk"),
    path("staff/at-risk/<int:session_id>/merge/", rescue_views.at_risk_merge, name="rescue_merge"),
    path("staff/at-risk/<int:session_id>/online/", rescue_views.at_risk_move_online, name="rescue_move_online"),
    path("staff/at-risk/<int:session_id>/extend/", rescue_views.at_risk_extend, name="rescue_extend"),
    path("staff/at-risk/<int:session_id>/cancel/", rescue_views.at_risk_cancel, name="rescue_cancel"),
    path("staff/demand/", rescue_views.pool_list, name="pool_list"),
    path("staff/demand/open/", rescue_views.pool_open, name="pool_open"),
    path("rescue/<str:token>/", rescue_views.offer, name="rescue_offer"),
    path("interest/", rescue_views.interest, name="interest"),
    path("interest/<int:interest_id>/withdraw/", rescue_views.interest_withdraw, name="interest_withdraw"),
    path("invitations/<str:token>/", rescue_views.invitation, name="invitation"),
]
