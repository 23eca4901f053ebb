from django.urls import path

from lianxin.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/move/", views.restructure, {"action": "move"}, name="move"),
    path("<int:pk>/merge/", views.restructure, {"action": "merge"}, name="merge"),
    path("<int:pk>/committee/seat/", views.seat_fill, name="seat_fill"),
    path("<int:pk>/committee/end/", views.seat_end, name="seat_end"),
    path("<int:pk>/dissolve/", views.restructure, {"action": "dissolve"}, name="dissolve"),
]
