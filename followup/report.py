"""The follow-up's PDF report: rendered from the follow-up's content with WeasyPrint. One function, so the
rendering can later move to a task queue without touching its callers."""

from types import SimpleNamespace

from django.template.loader import render_to_string

from activities.models import SubActivity
from followup.charts import status_bars, trend
from plan.language import plan_language
from plan.pdf import render_pdf


def _series_for_chart(series):
    values = [
        SimpleNamespace(period=(v["year"], v["half"]), value=v["value"], yes_no=v["yes_no"]) for v in series["values"]
    ]
    return SimpleNamespace(breakdown=series["breakdown"], values=values)


def report_context(content, *, draft):
    """The content plus its charts (the same SVG templates as the pages)."""
    statuses = list(SubActivity.Status)
    strategies = []
    for strategy in content["strategies"]:
        measures = []
        for measure in strategy["measures"]:
            series = [_series_for_chart(s) for s in measure["series"]]
            periods = sorted({v.period for s in series for v in s.values})
            measures.append(
                {
                    **measure,
                    "chart": trend(series, periods, yes_no=measure["direction"] == "yes_no"),
                    "chart_id": f"report-trend-{measure['id']}",
                }
            )
        strategies.append(
            {
                **strategy,
                "count_list": [strategy["status_counts"].get(status.value, 0) for status in statuses],
                "measures": measures,
                "chart": status_bars(
                    [(f"{strategy['number']}. {strategy['name']}", strategy["status_counts"])], statuses
                ),
            }
        )
    plan_chart = status_bars(
        [(f"{s['number']}. {s['name']}", s["status_counts"]) for s in content["strategies"]], statuses
    )
    # An arena that wrote nothing is named once, under the narratives, not given a heading and a dash. (A
    # follow-up locked before the arenas were followed up has no "local_arenas".)
    narratives = content.get("local_arenas", {}).get("narratives", [])
    return {
        "c": content,
        "strategies": strategies,
        "plan_chart": plan_chart,
        "draft": draft,
        "arena_narratives": [n for n in narratives if n["text"].strip()],
        "arenas_without_narrative": [n["arena"] for n in narratives if not n["text"].strip()],
    }


def render_report_html(content, *, draft=False):
    with plan_language():
        return render_to_string("followup/report.html", report_context(content, draft=draft))


def render_report_pdf(content, *, draft=False):
    return render_pdf(render_report_html(content, draft=draft))
