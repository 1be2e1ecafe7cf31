from django.urls import path

from followup import views

urlpatterns = [
    path("lagesbild/", views.dashboard, name="dashboard"),
    path("tabell/", views.subactivity_table, name="subactivity_table"),
    path("effektmatt/", views.effect_measures, name="effect_measures"),
    path("effektmatt/<int:measure_pk>/varden/ny/", views.effect_measure_value, name="effect_measure_value_add"),
    path("effektmatt/<int:measure_pk>/varden/<int:pk>/", views.effect_measure_value, name="effect_measure_value_edit"),
    path("api/plan.json", views.plan_json, name="plan_json"),
]
