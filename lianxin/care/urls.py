from django.urls import URLPattern, path

from lianxin.care.views import hardship, rounds, visits

app_name = "care"

urlpatterns: list[URLPattern] = [
    path("", rounds.round_list, name="rounds"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/move/<str:to>/", rounds.round_move, name="round_move"),
    path("rounds/<int:pk>/budget/", rounds.budget_set, name="budget_set"),
    path("rounds/<int:pk>/draw/", rounds.draw, name="draw"),
    path("rounds/<int:pk>/recipients/add/", rounds.recipient_add, name="recipient_add"),
    path("rounds/<int:pk>/recipients/<int:recipient_pk>/visit/", visits.visit_new, name="visit_new"),
    path("rounds/<int:pk>/totals/", rounds.totals, name="totals"),
    path("rounds/<int:pk>/ledger.xlsx", rounds.ledger, name="ledger"),
    path("visits/<int:pk>/photo/", visits.visit_photo, name="visit_photo"),
    path("hardship/", hardship.hardship_list, name="hardship_list"),
    path("hardship/new/", hardship.hardship_new, name="hardship_new"),
    path("hardship/<int:pk>/", hardship.hardship_detail, name="hardship_detail"),
    path("hardship/<int:pk>/review/", hardship.hardship_review, name="hardship_review"),
    path("hardship/<int:pk>/end/", hardship.hardship_end, name="hardship_end"),
]
