from django.urls import path

from lianxin.wishes import views

app_name = "wishes"

urlpatterns = [
    path("", views.wall, name="wall"),
    path("new/", views.post, name="post"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/bulk/", views.review_bulk, name="review_bulk"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/withdraw/", views.note_action, {"action": "withdraw"}, name="withdraw"),
    path("<int:pk>/fulfil/", views.note_action, {"action": "fulfil"}, name="fulfil"),
    path("<int:pk>/confirm/", views.note_action, {"action": "confirm"}, name="confirm"),
]
