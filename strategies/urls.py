from django.urls import path

from strategies import views

urlpatterns = [
    path("strategier/<int:pk>/", views.strategy_detail, name="strategy_detail"),
    path("lokala-arenor/", views.local_matrix, name="local_matrix"),
    path("lokala-arenor/<int:arena_pk>/", views.arena_detail, name="arena_detail"),
    path("lokala-arenor/<int:arena_pk>/<int:local_activity_pk>/", views.local_adoption, name="local_adoption"),
]
