from django.urls import path

from meetings import views

urlpatterns = [
    path("forum/", views.forum_list, name="forum_list"),
    path("forum/<slug:slug>/", views.forum_meetings, name="forum_meetings"),
    path("forum/<slug:slug>/moten/ny/", views.meeting_add, name="meeting_add"),
    path("forum/<slug:slug>/moten/serie/", views.series_add, name="series_add"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moten/<int:pk>/flytta/", views.meeting_move, name="meeting_move"),
    path("moten/<int:pk>/stall-in/", views.meeting_cancel, name="meeting_cancel"),
    path("moten/<int:pk>/protokoll/", views.meeting_minutes, name="meeting_minutes"),
    path("moten/<int:pk>/beslut/", views.decision_add, name="decision_add"),
    path("moten/<int:pk>/underlag/", views.meeting_pack, name="meeting_pack"),
    path("moten/<int:pk>/underlag.pdf", views.meeting_pack_pdf, name="meeting_pack_pdf"),
]
