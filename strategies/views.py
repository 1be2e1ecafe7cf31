from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from strategies.models import Strategy


@login_required
def strategy_detail(request, pk):
    strategy = get_object_or_404(Strategy.objects.select_related("revision__plan"), pk=pk)
    activities = strategy.activities.select_related("leader").prefetch_related(
        "subactivities", "responsible_organisations"
    )
    context = {
        "strategy": strategy,
        "revision": strategy.revision,
        "quotes": strategy.quotes.all(),
        "effect_measures": strategy.effect_measures.prefetch_related("forums"),
        "activities": activities,
        "local_activities": strategy.local_activities.all(),
    }
    return render(request, "strategies/strategy_detail.html", context)
