"""The pages of reporting: a member's own community and the community admins' queue."""

from django.urls import path

from lianxin.community.views import reports as views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("report/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/decide/", views.report_decide, name="report_decide"),
    path("reports/<int:pk>/end/", views.report_end, name="report_end"),
    path("posts/<int:pk>/claim/", views.post_claim, name="post_claim"),
    path("posts/<int:pk>/close/", views.post_close, name="post_close"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/<int:pk>/photo/", views.record_photo, name="record_photo"),
    path("manage/", views.manage, name="manage"),
    path("manage/decide/", views.report_decide_bulk, name="report_decide_bulk"),
    path("manage/posts/new/", views.post_new, name="post_new"),
]
