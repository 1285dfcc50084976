import math

import matplotlib
import pytest

matplotlib.use("Agg")

from agentic_tuning.cost import (  # noqa: E402
    EXAMPLE_API_PRICES,
    EXAMPLE_SELF_HOSTED,
    ApiPricing,
    SelfHosted,
    break_even_requests_per_month,
    calculator_widget,
    cost_curve,
    monthly_api_cost,
    monthly_self_hosted_cost,
    plot_break_even,
    verdict,
)

API = ApiPricing("api", input_per_million_usd=1.0, output_per_million_usd=4.0, latency_p50_s=1.0)
BOX = SelfHosted("box", hourly_usd=1.0, requests_per_hour_capacity=1000, latency_p50_s=0.2, one_off_tuning_usd=120.0)


def test_api_cost_by_hand():
    # 1M requests * (1,000 * $1 + 200 * $4) / 1M tokens = 1M * $0.0018
    assert monthly_api_cost(1_000_000, 1000, 200, API) == pytest.approx(1800.0)
    assert monthly_api_cost(0, 1000, 200, API) == 0.0


def test_self_hosted_cost_by_hand():
    # below the always-on minimum: 730 h * $1 + $120 / 12 months
    assert monthly_self_hosted_cost(10_000, BOX) == pytest.approx(740.0)
    # 1,000,001 requests need ceil(1000.001) = 1001 GPU-hours
    assert monthly_self_hosted_cost(1_000_001, BOX) == pytest.approx(1011.0)
    # pay only for hours used, tuning spread over 6 months
    assert monthly_self_hosted_cost(2500, BOX, min_hours_per_month=0, amortize_months=6) == pytest.approx(23.0)


def _assert_costs_equal_at(volume, pricing, hosted, **options):
    api = monthly_api_cost(volume, 1000, 200, pricing)
    own = monthly_self_hosted_cost(volume, hosted, **options)
    assert api == pytest.approx(own, rel=1e-6)


def test_break_even_on_the_always_on_plateau():
    volume = break_even_requests_per_month(1000, 200, API, BOX)
    assert volume == pytest.approx(740.0 / 0.0018)
    _assert_costs_equal_at(volume, API, BOX)


def test_break_even_beyond_the_always_on_box():
    # Cheap API: the box is full before the API catches up, so the crossing is on a later step.
    cheap = ApiPricing("cheap", 0.5, 1.0, 1.0)  # $0.0007 per request, $0.70 per 1,000 requests
    box = SelfHosted("box", 0.5, 1000, 0.2, 1809.0)  # $0.50 per 1,000 requests, $150.75/month tuning
    volume = break_even_requests_per_month(1000, 200, cheap, box)
    assert volume > 730 * 1000
    # each full hour saves $0.70 - $0.50: first n with n * $0.20 >= $150.75 is 754 hours
    assert volume == pytest.approx((754 * 0.5 + 150.75) / 0.0007)
    _assert_costs_equal_at(volume, cheap, box)
    assert monthly_self_hosted_cost(volume * 0.99, box) > monthly_api_cost(volume * 0.99, 1000, 200, cheap)


@pytest.mark.parametrize("min_hours", [0, 100, 730])
def test_break_even_equalizes_costs_for_example_inputs(min_hours):
    for pricing in EXAMPLE_API_PRICES.values():
        for hosted in EXAMPLE_SELF_HOSTED.values():
            volume = break_even_requests_per_month(1000, 200, pricing, hosted, min_hours_per_month=min_hours)
            if volume is not None:
                _assert_costs_equal_at(volume, pricing, hosted, min_hours_per_month=min_hours)


def test_no_break_even_when_each_gpu_hour_costs_more_than_the_api():
    tiny = ApiPricing("tiny", 0.01, 0.02, 1.0)  # $0.000014 per request
    assert break_even_requests_per_month(1000, 200, tiny, BOX) is None  # $0.014 per 1,000 vs $1 per hour
    assert "never" in verdict(1e6, 1000, 200, tiny, BOX)


def test_cost_curve_is_monotonic():
    volumes = [10 ** (k / 4) for k in range(8, 37)]
    df = cost_curve(volumes, 1000, 200, API, BOX)
    assert list(df.columns) == ["requests_per_month", "api_usd", "self_hosted_usd"]
    assert df["requests_per_month"].tolist() == volumes
    assert df["api_usd"].is_monotonic_increasing
    assert df["self_hosted_usd"].is_monotonic_increasing
    assert df["self_hosted_usd"].iloc[0] == pytest.approx(740.0)


def test_plot_marks_the_break_even():
    volumes = [10 ** (k / 20) for k in range(60, 181)]
    ax = plot_break_even(cost_curve(volumes, 1000, 200, API, BOX))
    assert ax.get_xscale() == "log"
    marked = [line.get_xdata()[0] for line in ax.get_lines()[2:]]
    assert marked == [pytest.approx(740.0 / 0.0018, rel=1e-6)]
    matplotlib.pyplot.close(ax.figure)


def test_verdict_names_the_cheaper_option():
    assert "self-hosting is cheaper" in verdict(1e6, 1000, 200, API, BOX)
    assert "the API is cheaper" in verdict(1e4, 1000, 200, API, BOX)
    assert f"{math.floor(740 / 0.0018):,}" in verdict(1e4, 1000, 200, API, BOX)


def test_calculator_widget_builds_and_rerenders(capsys):
    import ipywidgets as widgets

    box = calculator_widget()
    assert isinstance(box, widgets.VBox)
    assert isinstance(box.children[-1], widgets.Output)
    box.children[0].value = 1e7
    assert "At 10,000,000 requests/month" in capsys.readouterr().out
    assert matplotlib.pyplot.get_fignums() == []
