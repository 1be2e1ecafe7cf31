from django.urls import path

from followup import followup_views, views

urlpatterns = [
    path("lagesbild/", views.dashboard, name="dashboard"),
    path("tabell/", views.subactivity_table, name="subactivity_table"),
    path("effektmatt/", views.effect_measures, name="effect_measures"),
    path("effektmatt/ladda-upp/", views.effect_value_upload, name="effect_value_upload"),
    path("effektmatt/hamta/", views.measure_fetch, name="measure_fetch"),
    path("effektmatt/<int:measure_pk>/varden/ny/", views.effect_measure_value, name="effect_measure_value_add"),
    path("effektmatt/<int:measure_pk>/varden/<int:pk>/", views.effect_measure_value, name="effect_measure_value_edit"),
    path("api/plan.json", views.plan_json, name="plan_json"),
    path("uppfoljningar/", followup_views.followup_list, name="followup_list"),
    path("uppfoljningar/<int:pk>/", followup_views.followup_detail, name="followup_detail"),
    path("uppfoljningar/<int:pk>/texter/", followup_views.followup_texts, name="followup_texts"),
    path("uppfoljningar/<int:pk>/granskning/", followup_views.followup_submit, name="followup_submit"),
    path("uppfoljningar/<int:pk>/kommentar/", followup_views.followup_comment, name="followup_comment"),
    path("uppfoljningar/<int:pk>/las/", followup_views.followup_lock, name="followup_lock"),
    path("uppfoljningar/<int:pk>/las-upp/", followup_views.followup_unlock, name="followup_unlock"),
    path("uppfoljningar/<int:pk>/rapport.pdf", followup_views.followup_report, name="followup_report"),
]
