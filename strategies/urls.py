from django.urls import path

from strategies import views

urlpatterns = [
    path("strategier/<int:pk>/", views.strategy_detail, name="strategy_detail"),
]
