from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.service_list, name="list"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/new/", views.staff_new, name="staff-new"),
    path("staff/<slug:slug>/edit/", views.staff_edit, name="staff-edit"),
    path("staff/<slug:slug>/history/", views.staff_history, name="staff-history"),
    path("<slug:slug>/", views.service_detail, name="detail"),
]
