from django.urls import path

from lianxin.honours.views import medals, public, rounds

app_name = "honours"

urlpatterns = [
    path("", rounds.round_list, name="rounds"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/quotas/", rounds.quota_set, name="quota_set"),
    path("rounds/<int:pk>/nominate/", rounds.nominate, name="nominate"),
    path("rounds/<int:pk>/publicity/", rounds.publicity_start, name="publicity_start"),
    path("rounds/<int:pk>/approve/", rounds.round_step, {"step": "approve"}, name="approve"),
    path("rounds/<int:pk>/publish/", rounds.round_step, {"step": "publish"}, name="publish"),
    path("rounds/<int:pk>/ceremony/", rounds.ceremony, name="ceremony"),
    path("rounds/<int:pk>/certificates/", rounds.certificates, name="certificates"),
    path("nominations/<int:pk>/review/", rounds.review, name="review"),
    path("nominations/<int:pk>/objections/", rounds.objection_record, name="objection_record"),
    path("objections/<int:pk>/decide/", rounds.objection_decide, name="objection_decide"),
    path("public/", public.notices, name="public_list"),
    path("public/<int:pk>/", public.notice, name="public"),
    path("mine/", public.mine, name="mine"),
    path("medals/", medals.medals, name="medals"),
    path("medals/export/", medals.export, name="medals_export"),
    path("medals/<int:pk>/confirm/", medals.confirm, name="medal_confirm"),
    path("medals/<int:pk>/issue/", medals.issue, name="medal_issue"),
    path("medals/<int:pk>/photo/", medals.photo, name="medal_photo"),
]
