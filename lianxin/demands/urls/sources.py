"""Pages of the sources part; included by demands/urls.py under the one "demands" namespace."""

from django.urls import URLPattern, path

from lianxin.demands.views import sources as views

urlpatterns: list[URLPattern] = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/new/", views.topic_new, name="topic_new"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/conclude/", views.topic_conclude, name="topic_conclude"),
    path("face-to-face/", views.face_to_face_list, name="face_to_face_list"),
    path("face-to-face/new/", views.face_to_face_new, name="face_to_face_new"),
    path("face-to-face/<int:pk>/", views.face_to_face_detail, name="face_to_face_detail"),
    path("face-to-face/<int:pk>/edit/", views.face_to_face_edit, name="face_to_face_edit"),
    path("hotline/", views.hotline_import_page, name="hotline_import"),
    path("hotline/errors.xlsx", views.hotline_errors, name="hotline_errors"),
    path("from-wish/<int:pk>/", views.wish_to_demand, name="wish_to_demand"),
]
