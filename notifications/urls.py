from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("sms/", views.sms, name="sms"),
    path("sms/off/", views.sms_off, name="sms_off"),
]
