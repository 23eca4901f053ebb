from django.urls import URLPattern

app_name = "honours"

urlpatterns: list[URLPattern] = []
