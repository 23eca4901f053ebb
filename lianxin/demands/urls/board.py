"""Pages of the board part; included by demands/urls.py under the one "demands" namespace."""

from django.urls import URLPattern, path

from lianxin.demands.views import board as views_board

urlpatterns: list[URLPattern] = [
    path("board/", views_board.board, name="board"),
    path("summaries/", views_board.review_queue, name="review_queue"),
    path("<int:pk>/summary/", views_board.summary_review, name="summary_review"),
    path("notices/", views_board.notices, name="notices"),
    path("notices/new/", views_board.notice_new, name="notice_new"),
    path("notices/<int:pk>/", views_board.notice, name="notice"),
    path("notices/<int:pk>/notice.docx", views_board.notice_download, name="notice_docx"),
    path("notices/<int:pk>/publish/", views_board.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/choose/", views_board.notice_choose, name="notice_choose"),
    path("notices/<int:pk>/remove/", views_board.notice_remove_item, name="notice_remove_item"),
]
