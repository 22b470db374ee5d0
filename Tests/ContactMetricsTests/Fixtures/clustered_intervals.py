#!/usr/bin/env python3
"""Writes clustered-intervals.json: day-clustered intervals for a change between two windows, computed by
statsmodels from the individual calls, for ClusteredIntervalTests to check contact-metrics against.

Each case is a before and an after window of days. A rate (abandonment, service level) is the mean of a
0/1 outcome per call; a mean time is the mean of one wait per call. statsmodels fits
    value ~ 1 + after        (OLS, one row per call)
with standard errors clustered by day (CR1: G/(G-1) * (N-1)/(N-K)) and t intervals with G-1 degrees of
freedom; the coefficient of `after` is the change. The design effect is the square of its clustered standard
error over the variance the change would have were contacts independent, each window with its own variance
(sum over windows of var(values, ddof=1) / n, computed here with numpy from the contacts). The fixture keeps only what contact-metrics has, the
per-day sums: n (calls), y (successes or the sum of waits) and q (the sum of squared waits).

    pip install statsmodels numpy
    python3 clustered_intervals.py > clustered-intervals.json
"""
import json
import numpy as np
import statsmodels.api as sm

rng = np.random.default_rng(20261202)


def window(days, kind, base, spread, calls):
    """Per-call values of `days` days whose level varies from day to day (overdispersion)."""
    out = []
    for _ in range(days):
        n = int(rng.integers(calls // 2, calls * 2))
        if kind == "rate":
            p = min(max(base + rng.normal(0, spread), 0.01), 0.95)
            values = (rng.random(n) < p).astype(float)
        else:
            mean = max(base * np.exp(rng.normal(0, spread)), 1.0)
            values = np.floor(rng.exponential(mean, n))
        out.append(values)
    return out


def case(name, kind, before, after):
    rows, groups, flags = [], [], []
    for flag, days in ((0, before), (1, after)):
        for index, values in enumerate(days):
            rows.extend(values)
            groups.extend([flag * 10_000 + index] * len(values))
            flags.extend([flag] * len(values))
    X = sm.add_constant(np.array(flags, dtype=float))
    fit = sm.OLS(np.array(rows), X).fit(cov_type="cluster", cov_kwds={"groups": np.array(groups)}, use_t=True)
    lower, upper = fit.conf_int(alpha=0.05)[1]
    independent = sum(np.concatenate(days).var(ddof=1) / len(np.concatenate(days)) for days in (before, after))

    def sums(days):
        return [{"n": len(v), "y": float(v.sum()), "q": float((v * v).sum())} for v in days]

    return {"name": name, "kind": kind, "before": sums(before), "after": sums(after),
            "difference": float(fit.params[1]), "standard_error": float(fit.bse[1]),
            "lower": float(lower), "upper": float(upper), "clusters": int(len(set(groups))),
            "design_effect": float(fit.bse[1] ** 2 / independent)}


def did_case(name, kind, windows, dates=None):
    """Four windows (before, after, before a year earlier, after a year earlier): the difference in differences
    is the interaction of `after` and `this year` in value ~ 1 + after + this_year + after:this_year. `dates`
    gives each window's days their calendar days; a day in two windows (a window a year earlier overlapping the
    one compared) is its rows twice, under one cluster."""
    dates = dates or [[number * 10_000 + index for index in range(len(days))] for number, (_, _, days) in enumerate(windows)]
    rows, groups, after, current = [], [], [], []
    for number, (is_after, is_current, days) in enumerate(windows):
        for index, values in enumerate(days):
            rows.extend(values)
            groups.extend([dates[number][index]] * len(values))
            after.extend([is_after] * len(values))
            current.extend([is_current] * len(values))
    after, current = np.array(after, dtype=float), np.array(current, dtype=float)
    X = sm.add_constant(np.column_stack([after, current, after * current]))
    fit = sm.OLS(np.array(rows), X).fit(cov_type="cluster", cov_kwds={"groups": np.array(groups)}, use_t=True)
    lower, upper = fit.conf_int(alpha=0.05)[3]
    independent = sum(np.concatenate(days).var(ddof=1) / len(np.concatenate(days)) for _, _, days in windows)

    def sums(days, window_dates):
        return [{"n": len(v), "y": float(v.sum()), "q": float((v * v).sum()), "date": int(d)} for v, d in zip(days, window_dates)]

    return {"name": name, "kind": kind, "windows": [sums(days, dates[number]) for number, (_, _, days) in enumerate(windows)],
            "weights": [-1, 1, 1, -1],
            "difference": float(fit.params[3]), "standard_error": float(fit.bse[3]), "lower": float(lower), "upper": float(upper),
            "clusters": int(len(set(groups))), "design_effect": float(fit.bse[3] ** 2 / independent)}


cases = [
    case("abandonment, 61 days each, overdispersed", "rate", window(61, "rate", 0.12, 0.04, 800), window(61, "rate", 0.08, 0.04, 700)),
    case("service level, 28 and 35 days", "rate", window(28, "rate", 0.7, 0.08, 300), window(35, "rate", 0.75, 0.1, 260)),
    case("abandonment, 5 days each, little variation", "rate", window(5, "rate", 0.2, 0.005, 100), window(5, "rate", 0.22, 0.005, 100)),
    case("answer time, 61 days each", "mean", window(61, "mean", 120, 0.5, 500), window(61, "mean", 60, 0.5, 450)),
    case("answer time, 3 and 4 days", "mean", window(3, "mean", 9, 0.2, 200), window(4, "mean", 8, 0.2, 220)),
]
did_cases = [
    did_case("abandonment, four windows of 30 days", "rate",
             [(0, 1, window(30, "rate", 0.15, 0.04, 500)), (1, 1, window(30, "rate", 0.09, 0.04, 450)),
              (0, 0, window(30, "rate", 0.14, 0.04, 520)), (1, 0, window(30, "rate", 0.12, 0.04, 480))]),
    did_case("answer time, windows of 14 to 31 days", "mean",
             [(0, 1, window(14, "mean", 100, 0.4, 300)), (1, 1, window(31, "mean", 70, 0.4, 280)),
              (0, 0, window(20, "mean", 90, 0.4, 310)), (1, 0, window(25, "mean", 95, 0.4, 300))]),
]
# The Hampshire shape: the window a year before `after` overlaps `before` (25 of its 30 days are before's days).
shared_before = window(30, "rate", 0.4, 0.05, 400)
earlier_after = shared_before[5:] + window(5, "rate", 0.4, 0.05, 400)
did_cases.append(did_case("abandonment, the after window a year earlier overlapping the before window", "rate",
                          [(0, 1, shared_before), (1, 1, window(30, "rate", 0.2, 0.05, 300)),
                           (0, 0, window(30, "rate", 0.3, 0.05, 400)), (1, 0, earlier_after)],
                          dates=[list(range(100, 130)), list(range(465, 495)), list(range(600, 630)), list(range(105, 135))]))

print(json.dumps({"made_by": "clustered_intervals.py with statsmodels " + sm.__version__, "cases": cases,
                  "differences_in_differences": did_cases}, indent=1))
