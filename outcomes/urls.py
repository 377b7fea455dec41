from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("me/outcomes/", views.mine, name="mine"),
    path("counsellor/cases/<int:case_id>/outcome/", views.record_in_case, name="record_in_case"),
]
