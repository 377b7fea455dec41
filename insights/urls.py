from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("capacity/", views.capacity, name="capacity"),
    path("<slug:dataset>/", views.dataset_page, name="dataset"),
]
