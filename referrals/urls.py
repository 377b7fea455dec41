from __future__ import annotations

from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("counsellor/cases/<int:case_id>/refer/", views.refer, name="refer"),
    path("me/referrals/new/<int:step_id>/", views.self_refer, name="self_refer"),
    path("partner/", views.partner_list, name="partner_list"),
    path("partner/referrals/<int:referral_id>/", views.partner_detail, name="partner_detail"),
    path("partner/link/<str:token>/", views.link, name="link"),
]
