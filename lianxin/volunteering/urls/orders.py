"""Pages of the orders part; included by volunteering/urls.py under the one "volunteering" namespace."""

from django.urls import URLPattern, path

from lianxin.volunteering.views import orders as views

urlpatterns: list[URLPattern] = [
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/mine/", views.order_mine, name="order_mine"),
    path("orders/team/", views.order_team_inbox, name="order_team_inbox"),
    path("orders/<int:pk>/", views.order_detail, name="order_detail"),
    path("orders/<int:pk>/dispatch/", views.order_dispatch, name="order_dispatch"),
    path("orders/<int:pk>/accept/", views.order_accept, name="order_accept"),
    path("orders/<int:pk>/decline/", views.order_decline, name="order_decline"),
    path("orders/<int:pk>/serve/", views.order_serve, name="order_serve"),
    path("orders/<int:pk>/rate/", views.order_rate, name="order_rate"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/photos/<int:photo_pk>/", views.order_photo, name="order_photo"),
]
