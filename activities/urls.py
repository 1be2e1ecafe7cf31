from django.urls import path

from activities import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.landing, name="landing"),
    path("mina-aktiviteter/", views.my_activities, name="my_activities"),
    path("senaste-andringar/", views.recent_changes, name="recent_changes"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("delaktiviteter/<int:pk>/uppdatera/", views.subactivity_update, name="subactivity_update"),
    path("delaktiviteter/<int:pk>/historik/", views.subactivity_history, name="subactivity_history"),
    path(
        "delaktiviteter/<int:pk>/historik/<int:history_id>/aterstall/",
        views.restore_subactivity,
        name="subactivity_restore",
    ),
]
