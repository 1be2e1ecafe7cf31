from django.urls import path

from activities import compare_views, revision_views, views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.landing, name="landing"),
    path("mina-aktiviteter/", views.my_activities, name="my_activities"),
    path("senaste-andringar/", views.recent_changes, name="recent_changes"),
    path("strategier/<int:pk>/", views.strategy_detail, name="strategy_detail"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("delaktiviteter/<int:pk>/uppdatera/", views.subactivity_update, name="subactivity_update"),
    path("delaktiviteter/<int:pk>/historik/", views.subactivity_history, name="subactivity_history"),
    path(
        "delaktiviteter/<int:pk>/historik/<int:history_id>/aterstall/",
        views.restore_subactivity,
        name="subactivity_restore",
    ),
    path("revisioner/", revision_views.revision_list, name="revision_list"),
    path("revisioner/ny/", revision_views.revision_start, name="revision_start"),
    path("revisioner/<int:pk>/", revision_views.revision_detail, name="revision_detail"),
    path("revisioner/<int:pk>/andra/", revision_views.draft_revision_edit, name="draft_revision_edit"),
    path("revisioner/<int:pk>/aktivera/", revision_views.revision_activate, name="revision_activate"),
    path("revisioner/<int:pk>/<slug:kind>/ny/", revision_views.draft_item_edit, name="draft_item_add"),
    path("revisioner/<int:pk>/<slug:kind>/<int:item_pk>/", revision_views.draft_item_edit, name="draft_item_edit"),
    path(
        "revisioner/<int:pk>/<slug:kind>/<int:item_pk>/ta-bort/",
        revision_views.draft_item_delete,
        name="draft_item_delete",
    ),
    path("revisioner/jamfor/", compare_views.revision_compare, name="revision_compare"),
    path("revisioner/jamfor.pdf", compare_views.revision_compare_pdf, name="revision_compare_pdf"),
]
