from django.urls import path

from lianxin.residents import views

app_name = "residents"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/finish/", views.register_finish, name="register_finish"),
    path("login/code/", views.login_code, name="login_code"),
    path("login/code/finish/", views.login_code_finish, name="login_code_finish"),
    path("me/", views.me, name="me"),
    path("privacy/", views.privacy, name="privacy"),
]
