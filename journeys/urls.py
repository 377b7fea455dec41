from django.urls import path

from journeys import views

app_name = "journeys"

urlpatterns = [
    path("new/", views.new_plan, name="new"),
    path("restart/", views.restart, name="restart"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/plan.pdf", views.plan_pdf, name="pdf"),
    path("<str:public_id>/plan.ics", views.plan_ics, name="ics"),
    path("<str:public_id>/steps/<int:position>/", views.toggle_step, name="toggle-step"),
    path("<str:public_id>/abandon/", views.abandon, name="abandon"),
]
