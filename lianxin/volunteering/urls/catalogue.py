"""Pages of teams and the catalogue; included by volunteering/urls.py under the one "volunteering" namespace."""

from django.urls import URLPattern, path

from lianxin.volunteering.views import catalogue as views

urlpatterns: list[URLPattern] = [
    path("menu/", views.menu, name="menu"),
    path("menu/<int:pk>/", views.item_detail, name="item_detail"),
    path("menu/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/items/new/", views.item_new, name="item_new"),
    path("teams/<int:pk>/members/add/", views.team_member_add, name="team_member_add"),
    path("teams/<int:pk>/members/<int:user_pk>/remove/", views.team_member_remove, name="team_member_remove"),
]
