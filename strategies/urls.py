from django.urls import path

from strategies import views

# The strategy page (strategier/<pk>/) is in revisions/urls.py: it shows the strategy's activities, as of a
# past day too.
urlpatterns = [
    path("lokala-arenor/", views.local_matrix, name="local_matrix"),
    path("lokala-arenor/ladda-upp/", views.arena_upload, name="arena_upload"),
    path("lokala-arenor/<int:arena_pk>/", views.arena_detail, name="arena_detail"),
    path("lokala-arenor/<int:arena_pk>/<int:local_activity_pk>/", views.local_adoption, name="local_adoption"),
]
