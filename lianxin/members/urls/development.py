"""Member development pages, under the "members" namespace (included by members.urls)."""

from django.urls import path

from lianxin.members.views import development as views
from lianxin.members.views import development_steps as steps

urlpatterns = [
    path("", views.pipeline, name="development"),
    path("export/", views.pipeline_export, name="development_export"),
    path("<int:pk>/", steps.person, name="development_person"),
    path("<int:pk>/advance/", steps.advance, name="development_advance"),
    path("<int:pk>/review/", steps.review, name="development_review"),
    path("<int:pk>/tick/", steps.tick, name="development_tick"),
    path("<int:pk>/talk/", steps.talk, name="development_talk"),
    path("<int:pk>/activist-review/", steps.activist_review, name="development_activist_review"),
    path("<int:pk>/extension/", steps.extension, name="development_extension"),
    path("training/", views.training_list, name="training_list"),
    path("training/<int:pk>/", views.training_detail, name="training_detail"),
    path("training/<int:pk>/course/", views.training_course, name="training_course"),
    path("training/<int:pk>/course/<int:course_pk>/attendance/", views.training_attendance, name="training_attendance"),
    path("training/<int:pk>/score/", views.training_score, name="training_score"),
    path("oaths/", views.oaths, name="oaths"),
    path("birthdays/", views.birthdays, name="birthdays"),
]
