from django.urls import path

from diagnosis import views

app_name = "diagnosis"

urlpatterns = [
    path("", views.start, name="start"),
    path("restart/", views.restart, name="restart"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("step/<int:n>/", views.step, name="step"),
    path("answer/", views.save_answer, name="answer"),
    path("r/<str:public_id>/", views.result, name="result"),
    path("r/<str:public_id>/email/", views.email_result, name="email"),
]
