from django.urls import path

from activities import views

# The overview ("") and the strategy and activity pages are in revisions/urls.py: with ?datum= they show a
# past day, and revisions.as_of_views calls the present pages of activities.views otherwise.
urlpatterns = [
    path("start/", views.landing, name="landing"),
    path("mina-aktiviteter/", views.my_activities, name="my_activities"),
    path("senaste-andringar/", views.recent_changes, name="recent_changes"),
    path("delaktiviteter/ladda-upp/", views.subactivity_upload, name="subactivity_upload"),
    path("delaktiviteter/<int:pk>/uppdatera/", views.subactivity_update, name="subactivity_update"),
    path("delaktiviteter/<int:pk>/historik/", views.subactivity_history, name="subactivity_history"),
    path(
        "delaktiviteter/<int:pk>/historik/<int:history_id>/aterstall/",
        views.restore_subactivity,
        name="subactivity_restore",
    ),
]
