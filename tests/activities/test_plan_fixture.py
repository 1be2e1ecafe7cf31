"""The real plan in the fixtures: Bilaga 1 in full, checked against the source document."""

import io

import pytest
from django.core.management import call_command

from activities.models import Activity, SubActivity
from plan.models import Forum, GuidingPrinciple, Organisation, Plan, PlanRevision
from strategies.models import EffectMeasure, LocalActivity, Strategy, StrategyQuote
from tests.conftest import PLAN_FIXTURE

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    Organisation,
    Forum,
    Plan,
    PlanRevision,
    GuidingPrinciple,
    Strategy,
    StrategyQuote,
    EffectMeasure,
    LocalActivity,
    Activity,
    SubActivity,
]


def counts():
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def sub(name):
    return SubActivity.objects.select_related("activity").get(name=name)


def test_it_holds_every_part_of_the_plan():
    assert counts() == {
        "Organisation": 9,
        "Forum": 12,
        "Plan": 1,
        "PlanRevision": 1,
        "GuidingPrinciple": 3,
        "Strategy": 5,
        "StrategyQuote": 15,
        "EffectMeasure": 8,
        "LocalActivity": 22,
        "Activity": 16,
        "SubActivity": 35,
    }


def test_it_holds_the_counts_per_strategy_as_in_bilaga_1():
    per_strategy = [
        (
            s.name,
            s.effect_measures.count(),
            s.activities.count(),
            SubActivity.objects.filter(activity__strategy=s).count(),
            s.local_activities.count(),
            s.quotes.count(),
        )
        for s in Strategy.objects.order_by("number")
    ]
    assert per_strategy == [
        ("Ökad delaktighet", 2, 2, 4, 7, 3),
        ("Ökad kontinuitet", 1, 4, 9, 3, 3),
        ("Ökad tillgänglighet", 2, 5, 8, 4, 3),
        ("Hälsofrämjande och förebyggande fokus", 2, 1, 4, 3, 3),
        ("Ökad samordning och samverkan", 1, 4, 10, 5, 3),
    ]


def test_it_has_the_first_revision_in_force_from_2023_12_01_and_due_three_years_later():
    revision = PlanRevision.objects.in_force().get()
    assert revision.vision == "Tillsammans för god hälsa hela livet"
    assert str(revision.in_force_from) == "2023-12-01"
    assert str(revision.next_revision_due) == "2026-12-01"
    assert [p.text for p in revision.guiding_principles.all()] == [
        "Vad är viktigt för invånaren?",
        "Vi gör det tillsammans.",
        "Vi tar ansvar för eget arbete, återkopplar till steget före och underlättar för steget efter.",
    ]


def test_it_corrects_the_two_typos_of_the_source():
    assert Strategy.objects.filter(name="Hälsofrämjande och förebyggande fokus").exists()
    assert Activity.objects.filter(name__startswith="Strukturera samverkan kring personer boende i SÄBO").exists()
    assert not Strategy.objects.filter(name__contains="Hälsö").exists()
    assert not Activity.objects.filter(name__contains="Strukturerar").exists()


@pytest.mark.parametrize(
    "name, priority, status, status_text, measure, target",
    [
        (
            "Ta fram gemensamma begrepp och synsätt",
            "2023–2024",
            "pagar",
            "Grund för personcentrerat förhållningssätt och arbetssätt i samverkan pågår i kommunikationsplanen",
            "Gemensamma begrepp och synsätt för personcentrerad finns",
            "ja/nej",
        ),
        (
            "Ansvarsfördelning vid hälso- och sjukvård i hemmet för personer med personlig assistans",
            "2024–2025",
            "ingar_i_annat",
            "Ingår i rev. Samverkansavtal",
            "Ingår ansvarsfördelningen i samverkans-avtalet?",
            "ja/nej",
        ),
        (
            "Genomföra kartläggning",
            "2025–2026",
            "uppdrag_behovs",
            "Ej påbörjat, uppdrag behövs",
            "Kartläggning och analys genomförd?",
            "ja/nej",
        ),
        (
            "Utveckla samverkan mellan primärvård och specialistvård",
            "2024–2025",
            "ej_paborjat",
            "Ej påbörjat",
            "Finns fungerande flöden",
            "ja/nej Goda exempel",
        ),
        (
            "Utveckla arbetssätt i samverkan för personer med riskbruk och beroende",
            "2024–2025",
            "avvaktar",
            "Ej påbörjat, avvaktar beslut från samsjuklighetsutredningen.",
            "Finns arbetssätt för tidig upptäckt och tidiga samordnade insatser för personer med riskbruk och beroende?",  # noqa: E501
            "",
        ),
        (
            "Verka för att utbildningsmöjligheter finns i länet inklusive VFU",
            "2025–2026",
            "ej_angiven",
            "",
            "Kompetensförsörjning diskuteras i samverkan",
            "Tas upp i protokoll för Fredagsgrupp och lokal samverkans-arena Goda exempel",
        ),
        (
            "Arbeta fram överenskommelse och arbetssätt i samverkan",
            "2024–2025",
            "ej_paborjat",
            "Ej påbörjat",
            "Har överenskommelse tecknats? Finns arbetssätt framtaget?",
            "ja/nej",
        ),
    ],
)
def test_named_rows_match_the_source(name, priority, status, status_text, measure, target):
    row = sub(name)
    assert (row.activity.priority_period, row.status, row.status_text, row.measure, row.target) == (
        priority,
        status,
        status_text,
        measure,
        target,
    )
    assert row.answer == SubActivity.Answer.NOT_ASSESSED


def test_sub_points_are_kept_under_their_delaktivitet():
    assert sub("Utreda möjlighet till gemensamt nyttjande av kliniskt träningscentrum").sub_point_list == [
        "Regionintern analys av möjligheter"
    ]
    assert sub("Utveckla arbetssätt i samverkan för personer med komplexa vård- och omsorgsbehov").sub_point_list == [
        "Klargöra behov av gemensamma kvalitetsregister",
        "Utveckla möjlighet att mäta risk-bedömningar samt dokumenterade åtgärder",
    ]


def test_status_categories_are_mapped_from_the_source_wording():
    by_status = {s: SubActivity.objects.filter(status=s).count() for s in SubActivity.Status.values}
    assert by_status == {
        "ej_paborjat": 10,
        "uppdrag_behovs": 3,
        "avvaktar": 2,
        "pagar": 10,
        "ingar_i_annat": 4,
        "klar": 0,
        "ej_angiven": 6,
    }


def test_the_sip_measure_is_half_yearly_with_breakdowns_and_two_forums():
    measure = EffectMeasure.objects.get(name__startswith="Antal SIP")
    assert measure.direction == EffectMeasure.Direction.INCREASE
    assert measure.cadence == EffectMeasure.Cadence.HALF_YEARLY
    assert measure.breakdowns == ["barn och unga", "vuxna"]
    assert measure.data_source == "Cosmic LINK"
    assert sorted(f.name for f in measure.forums.all()) == ["Fredagsgruppen", "SamReKo HSI"]


def test_effect_measure_directions():
    directions = dict(EffectMeasure.objects.values_list("name", "direction"))
    assert directions["Påverkbar slutenvård vid kronisk sjukdom"] == "decrease"
    assert directions["Läkarbesök i hemmet (inkl. SÄBO)"] == "increase"
    assert (
        directions["Finns fungerande samverkansarenor utifrån samverkandirektiv i varje kommun/närvårdsområde"]
        == "yes_no"
    )


def test_local_activities_and_quotes_are_in_source_order():
    first = Strategy.objects.get(number=1)
    assert first.local_activities.first().text == "Öka medskapande och medborgarinflytande i våra verksamheter"
    assert first.quotes.first().text.startswith("Jag är informerad, kan påverka")
    last = Strategy.objects.get(number=5)
    assert last.local_activities.last().text == "Samverkan kring forskning och kompetensutveckling"


def test_loading_twice_duplicates_nothing_and_keeps_later_changes():
    before = counts()
    row = sub("Kartlägga behovet")
    row.status = SubActivity.Status.DONE
    row.save()
    history_before = SubActivity.history.count()

    out = io.StringIO()
    call_command("load_plan", str(PLAN_FIXTURE), stdout=out)

    assert "revision 2023 existed and was left as it is" in out.getvalue()

    assert counts() == before
    assert SubActivity.history.count() == history_before
    assert sub("Kartlägga behovet").status == SubActivity.Status.DONE


def test_loading_again_does_not_bring_back_what_an_administrator_deleted():
    sub("Kartlägga behovet").delete()
    call_command("load_plan", str(PLAN_FIXTURE), stdout=io.StringIO())
    assert not SubActivity.objects.filter(name="Kartlägga behovet").exists()


def test_loaded_content_has_a_first_history_entry_dated_the_in_force_date():
    record = SubActivity.history.filter(name="Kartlägga behovet").earliest("history_date")
    assert record.history_type == "+"
    assert record.history_change_reason == "Inläst från planens källtext"
    assert record.history_date.date().isoformat() in ("2023-11-30", "2023-12-01")  # midnight Stockholm in UTC
