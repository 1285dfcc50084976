"""When does agentic tuning pay off? A monthly cost model: hosted API vs a self-hosted tuned model.

The API is billed per token, so its cost grows linearly with traffic. The self-hosted model is billed
per GPU-hour: an always-on box costs the same whether it is busy or idle, and extra traffic needs
extra GPU-hours once the box is full. The one-off tuning cost is spread over `amortize_months`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

HOURS_PER_MONTH = 730  # 365 * 24 / 12: one always-on box for a month.


@dataclass
class ApiPricing:
    """A hosted model billed per token (USD per million tokens)."""

    name: str
    input_per_million_usd: float
    output_per_million_usd: float
    latency_p50_s: float


@dataclass
class SelfHosted:
    """A tuned model on rented hardware, billed per hour, plus the one-off cost of tuning it."""

    name: str
    hourly_usd: float
    requests_per_hour_capacity: float
    latency_p50_s: float
    one_off_tuning_usd: float


EXAMPLE_API_PRICES = {
    "large": ApiPricing("large general model (example)", 3.00, 15.00, 1.5),
    "small": ApiPricing("small general model (example)", 0.15, 0.60, 0.8),
}
"""Illustrative inputs, not anyone's current prices: replace them with your provider's price list."""

EXAMPLE_SELF_HOSTED = {
    "gpu": SelfHosted("tuned small model, one mid-range GPU (example)", 0.80, 20_000, 0.3, 50.0),
    "cpu": SelfHosted("tuned small model, one CPU server (example)", 0.20, 1_500, 1.2, 50.0),
}
"""Illustrative inputs, not quotes: replace them with your cloud's hourly rate and a throughput you measured."""


def api_cost_per_request(input_tokens: float, output_tokens: float, pricing: ApiPricing) -> float:
    """USD for one request with this many prompt and completion tokens."""
    return (input_tokens * pricing.input_per_million_usd + output_tokens * pricing.output_per_million_usd) / 1e6


def monthly_api_cost(requests_per_month: float, input_tokens: float, output_tokens: float,
                     pricing: ApiPricing) -> float:
    """USD per month: the API bills every token, so cost is proportional to volume."""
    return requests_per_month * api_cost_per_request(input_tokens, output_tokens, pricing)


def monthly_self_hosted_cost(requests_per_month: float, hosted: SelfHosted, *,
                             min_hours_per_month: int = HOURS_PER_MONTH, amortize_months: int = 12) -> float:
    """GPU-hours needed (never fewer than the always-on minimum) plus the amortised tuning cost."""
    hours = max(math.ceil(requests_per_month / hosted.requests_per_hour_capacity), min_hours_per_month)
    return hours * hosted.hourly_usd + hosted.one_off_tuning_usd / amortize_months


def break_even_requests_per_month(input_tokens: float, output_tokens: float, pricing: ApiPricing,
                                  hosted: SelfHosted, *, min_hours_per_month: int = HOURS_PER_MONTH,
                                  amortize_months: int = 12) -> float | None:
    """The lowest monthly volume at which self-hosting costs no more than the API; None if it never does.

    Self-hosted cost is a staircase (whole GPU-hours); the API is a line through zero, so the first
    crossing is where the line meets a step: at `fixed / per_request` for the step's cost `fixed`.
    """
    per_request = api_cost_per_request(input_tokens, output_tokens, pricing)
    if per_request <= 0:
        return None
    amortized = hosted.one_off_tuning_usd / amortize_months
    capacity = hosted.requests_per_hour_capacity
    always_on = min_hours_per_month * hosted.hourly_usd + amortized
    if always_on <= per_request * min_hours_per_month * capacity:
        return always_on / per_request
    margin_per_hour = per_request * capacity - hosted.hourly_usd  # what each full GPU-hour saves
    if margin_per_hour <= 0:
        return None
    hours = max(min_hours_per_month + 1, math.ceil(amortized / margin_per_hour))
    return min((hours * hosted.hourly_usd + amortized) / per_request, hours * capacity)


def cost_curve(volumes, input_tokens: float, output_tokens: float, pricing: ApiPricing, hosted: SelfHosted,
               *, min_hours_per_month: int = HOURS_PER_MONTH, amortize_months: int = 12) -> pd.DataFrame:
    """Monthly cost of both options at each volume (requests per month)."""
    volumes = list(volumes)
    return pd.DataFrame({
        "requests_per_month": volumes,
        "api_usd": [monthly_api_cost(v, input_tokens, output_tokens, pricing) for v in volumes],
        "self_hosted_usd": [monthly_self_hosted_cost(v, hosted, min_hours_per_month=min_hours_per_month,
                                                     amortize_months=amortize_months) for v in volumes],
    })


def _crossing(df: pd.DataFrame) -> float | None:
    """First volume where self-hosting becomes no dearer, interpolated between the curve's rows."""
    x, gap = df["requests_per_month"].to_numpy(), (df["api_usd"] - df["self_hosted_usd"]).to_numpy()
    cheaper = np.flatnonzero(gap >= 0)
    if len(cheaper) == 0 or cheaper[0] == 0:
        return None
    i = cheaper[0]
    return x[i - 1] + (x[i] - x[i - 1]) * -gap[i - 1] / (gap[i] - gap[i - 1])


def plot_break_even(df: pd.DataFrame, ax=None):
    """Both monthly costs against volume (log-log) with the break-even volume marked, if it is inside the range."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    ax.plot(df["requests_per_month"], df["api_usd"], label="hosted API", color="#bb5522")
    ax.plot(df["requests_per_month"], df["self_hosted_usd"], label="self-hosted tuned model", color="#2a7ab9")
    crossing = _crossing(df)
    if crossing is not None:
        ax.axvline(crossing, color="#555555", linestyle="--", linewidth=1)
        ax.annotate(f"break-even ≈ {crossing:,.0f}/month", (crossing, ax.get_ylim()[1]), xytext=(4, -14),
                    textcoords="offset points", fontsize=8)
    ax.set(xscale="log", yscale="log", xlabel="requests per month", ylabel="USD per month")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return ax


def verdict(requests_per_month: float, input_tokens: float, output_tokens: float, pricing: ApiPricing,
            hosted: SelfHosted, *, min_hours_per_month: int = HOURS_PER_MONTH, amortize_months: int = 12) -> str:
    """One line: which option is cheaper at this volume, the break-even volume and both p50 latencies."""
    api = monthly_api_cost(requests_per_month, input_tokens, output_tokens, pricing)
    options = {"min_hours_per_month": min_hours_per_month, "amortize_months": amortize_months}
    own = monthly_self_hosted_cost(requests_per_month, hosted, **options)
    winner = "self-hosting" if own <= api else "the API"
    even = break_even_requests_per_month(input_tokens, output_tokens, pricing, hosted, **options)
    where = "never (the API is always cheaper)" if even is None else f"{even:,.0f} requests/month"
    return (f"At {requests_per_month:,.0f} requests/month {winner} is cheaper: API ${api:,.0f} vs self-hosted "
            f"${own:,.0f}; break-even {where}; p50 latency {pricing.latency_p50_s:g}s vs {hosted.latency_p50_s:g}s.")


def calculator_widget(pricing: ApiPricing | None = None, hosted: SelfHosted | None = None):
    """Sliders and price fields that redraw the cost curve and the verdict; display the returned VBox."""
    import ipywidgets as widgets
    from IPython.display import display

    pricing = pricing or EXAMPLE_API_PRICES["large"]
    hosted = hosted or EXAMPLE_SELF_HOSTED["gpu"]
    wide = {"style": {"description_width": "160px"}, "layout": widgets.Layout(width="480px")}
    controls = {
        "volume": widgets.FloatLogSlider(value=1e6, base=10, min=3, max=9, step=0.1,
                                         description="requests / month", readout_format=",.0f", **wide),
        "input_tokens": widgets.IntSlider(value=1000, min=50, max=8000, step=50, description="input tokens", **wide),
        "output_tokens": widgets.IntSlider(value=200, min=10, max=2000, step=10, description="output tokens", **wide),
        "input_price": widgets.BoundedFloatText(value=pricing.input_per_million_usd, min=0, max=1000, step=0.05,
                                                description="API $ / M input", **wide),
        "output_price": widgets.BoundedFloatText(value=pricing.output_per_million_usd, min=0, max=1000, step=0.05,
                                                 description="API $ / M output", **wide),
        "hourly": widgets.BoundedFloatText(value=hosted.hourly_usd, min=0, max=1000, step=0.05,
                                           description="self-hosted $ / hour", **wide),
    }

    def render(volume, input_tokens, output_tokens, input_price, output_price, hourly):
        api = ApiPricing(pricing.name, input_price, output_price, pricing.latency_p50_s)
        own = SelfHosted(hosted.name, hourly, hosted.requests_per_hour_capacity, hosted.latency_p50_s,
                         hosted.one_off_tuning_usd)
        df = cost_curve(np.geomspace(1e3, 1e9, 241), input_tokens, output_tokens, api, own)
        ax = plot_break_even(df)
        ax.axvline(volume, color="#999999", linewidth=3, alpha=0.4)
        print(verdict(volume, input_tokens, output_tokens, api, own))
        display(ax.figure)
        plt.close(ax.figure)

    return widgets.VBox([*controls.values(), widgets.interactive_output(render, controls)])
