import pytest

from generator.pages.indicators import NO_VALUES, chart_svg, chart_text, latest, number_de, progress
from generator.records.models import Indicator


def indicator(**fields: object) -> Indicator:
    return Indicator.model_validate({"name": "Quote", "unit": "%", **fields})


@pytest.mark.parametrize(
    ("value", "text"), [(1234.5, "1.234,5"), (1234567, "1.234.567"), (0.25, "0,25"), (12.0, "12"), (-3.5, "-3,5")]
)
def test_german_numbers(value: float, text: str) -> None:
    assert number_de(value) == text


def test_no_actuals_says_no_values_and_draws_nothing() -> None:
    ind = indicator(baseline={"value": 10, "date": "2019"}, target={"value": 20, "date": "2021"})
    assert progress(ind).text == NO_VALUES and progress(ind).percent is None
    assert chart_svg(ind, chart_id="c") is None


def test_progress_percent_toward_a_lower_target() -> None:
    ind = indicator(
        baseline={"value": 12.5, "date": "2019"},
        target={"value": 10, "date": "2021"},
        actuals=[{"value": 11.25, "date": "2020-06"}, {"value": 12, "date": "2020-01"}],
    )
    result = progress(ind)
    assert result.percent == pytest.approx(50)
    assert result.text == "zuletzt 11,25 % (Juni 2020): 50 % des Wegs vom Ausgangs- zum Zielwert – auf dem Weg zum Ziel"


def test_progress_reached_and_not_computable() -> None:
    reached = indicator(baseline={"value": 0}, target={"value": 10}, actuals=[{"value": 12}])
    assert "Ziel erreicht" in progress(reached).text
    no_base = indicator(target={"value": 10}, actuals=[{"value": 5, "date": "2020"}])
    assert progress(no_base).percent is None
    assert "nicht berechenbar, weil der Ausgangswert fehlt" in progress(no_base).text


def test_latest_prefers_dated_values() -> None:
    ind = indicator(actuals=[{"value": 1, "date": "2021"}, {"value": 2}, {"value": 3, "date": "2020-12-31"}])
    assert latest(ind) is not None and latest(ind).value == 1  # type: ignore[union-attr]
    undated = indicator(actuals=[{"value": 1}, {"value": 2}])
    assert latest(undated) is not None and latest(undated).value == 2  # type: ignore[union-attr]


def test_chart_is_accessible_inline_svg() -> None:
    ind = indicator(
        name="Quote <b>",
        baseline={"value": 10, "date": "2019"},
        target={"value": 20, "date": "2021-12"},
        actuals=[{"value": 15, "date": "2020-06"}],
    )
    svg = chart_svg(ind, chart_id="k-1")
    assert svg is not None
    assert svg.startswith("<svg ") and svg.endswith("</svg>") and "\n" not in svg
    assert 'role="img" aria-labelledby="k-1-t k-1-d"' in svg
    assert '<title id="k-1-t">Quote &lt;b&gt;</title>' in svg
    assert "Juni 2020: 15 %" in svg
    assert "http" not in svg and "<script" not in svg
    assert svg.count("<circle") == 2  # baseline and one actual; the target is a dashed line
    assert "Ausgangswert 10 % (2019), Zielwert 20 % (Dezember 2021)" in chart_text(ind)


def test_a_target_a_hair_from_the_baseline_gives_no_endless_percent() -> None:
    """Finite values whose ratio overflows (found by a hostile review: "Interner Fehler" in build)."""
    from generator.records.models import Measurement

    hair = Indicator(
        name="N",
        unit="E",
        baseline=Measurement(value=0, date="2020"),
        target=Measurement(value=5e-324, date="2021"),
        actuals=[Measurement(value=1e15, date="2020-06")],
    )
    assert progress(hair).percent is None and "nicht sinnvoll berechenbar" in progress(hair).text
    svg = chart_svg(hair, chart_id="k")
    assert svg is None or "nan" not in svg


@pytest.mark.parametrize("value", [1e300, -1e300, 1.0e16])
def test_a_figure_beyond_10_to_the_15_is_refused(value: float) -> None:
    from pydantic import ValidationError

    from generator.records.models import Measurement

    with pytest.raises(ValidationError):
        Measurement(value=value)
