from django.urls import path

from publicsite import views

app_name = "public"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("strategier/<int:number>/", views.strategy, name="strategy"),
    path("effektmatt/", views.measures, name="measures"),
    path("lokala-arenor/", views.local_arenas, name="local_arenas"),
    path("rapporter/", views.reports, name="reports"),
    path("rapporter/<int:pk>.pdf", views.report_pdf, name="report_pdf"),
    path("oppna-data/", views.open_data, name="open_data"),
    path("oppna-data/plan.json", views.plan_json, name="plan_json"),
    path("oppna-data/delaktiviteter.csv", views.subactivities_csv, name="subactivities_csv"),
    path("oppna-data/effektmatt.csv", views.measures_csv, name="measures_csv"),
    path("sprak/<str:code>/", views.language, name="language"),
]
