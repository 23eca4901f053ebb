from django.urls import path

from lianxin.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
]
