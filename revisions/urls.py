from django.urls import path

from revisions import as_of_views, views

urlpatterns = [
    # The plan's pages, as of a past day with ?datum=
    path("", as_of_views.overview, name="overview"),
    path("strategier/<int:pk>/", as_of_views.strategy_detail, name="strategy_detail"),
    path("aktiviteter/<int:pk>/", as_of_views.activity_detail, name="activity_detail"),
    # The revisions of the plan
    path("revisioner/", views.revision_list, name="revision_list"),
    path("revisioner/ny/", views.revision_start, name="revision_start"),
    path("revisioner/<int:pk>/", views.revision_detail, name="revision_detail"),
    path("revisioner/<int:pk>/andra/", views.draft_revision_edit, name="draft_revision_edit"),
    path("revisioner/<int:pk>/aktivera/", views.revision_activate, name="revision_activate"),
    path("revisioner/<int:pk>/<slug:kind>/ny/", views.draft_item_edit, name="draft_item_add"),
    path("revisioner/<int:pk>/<slug:kind>/<int:item_pk>/", views.draft_item_edit, name="draft_item_edit"),
    path("revisioner/<int:pk>/<slug:kind>/<int:item_pk>/ta-bort/", views.draft_item_delete, name="draft_item_delete"),
    path("revisioner/jamfor/", views.revision_compare, name="revision_compare"),
    path("revisioner/jamfor.pdf", views.revision_compare_pdf, name="revision_compare_pdf"),
]
