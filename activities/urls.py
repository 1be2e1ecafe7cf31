from django.urls import path

from activities import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity_detail"),
]
