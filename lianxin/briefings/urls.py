from django.urls import path

from lianxin.briefings import views

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("new/", views.briefing_new, name="new"),
    path("<int:pk>/", views.briefing_detail, name="detail"),
    path("<int:pk>/publish/", views.briefing_publish, name="publish"),
    path("<int:pk>/docx/", views.briefing_download, name="docx"),
    path("<int:pk>/figures/<int:position>/", views.briefing_figure_rows, name="figure_rows"),
]
