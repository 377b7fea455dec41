from django.urls import path

from journeys import browse

app_name = "guide_maps"

urlpatterns = [
    path("", browse.index, name="index"),
    path("<str:band>/<str:goal>/", browse.detail, name="detail"),
]
