#!/usr/bin/env python3
"""Writes segmented-regression.json: interrupted time series fitted by statsmodels, for
SegmentedRegressionTests to check contact-metrics' OLS with Newey-West (HAC) standard errors against.

Each case is a daily series with weekday effects, a level and a slope change at a change date, AR(1) errors;
statsmodels fits OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L}, use_t=True) with L the Newey-West rule
floor(4 (n/100)^(2/9)). The fixture keeps the design rows, y, L and the fitted coefficients, standard errors and
95% intervals.

    pip install statsmodels numpy
    python3 segmented_regression.py > segmented-regression.json
"""
import json
import numpy as np
import statsmodels.api as sm

rng = np.random.default_rng(20261202)


def case(name, days, change, event=None, phi=0.6, scale=1.0):
    t = np.arange(days, dtype=float)
    weekday = (t + 2) % 7  # day 0 a Wednesday
    after = (t >= change).astype(float)
    columns = [np.ones(days), t] + [(weekday == k).astype(float) for k in range(1, 7)] + [after, (t - change) * after]
    if event is not None:
        columns.append((t >= event).astype(float))
    X = np.column_stack(columns)
    errors = np.zeros(days)
    for i in range(days):
        errors[i] = (phi * errors[i - 1] if i else 0) + rng.normal(0, scale)
    beta = np.array([50, 0.05, 3, 2, 1, -4, -6, -8, -10, 0.02] + ([5] if event is not None else []))
    y = X @ beta + errors
    lag = int(np.floor(4 * (days / 100) ** (2 / 9)))
    fit = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": lag}, use_t=True)
    intervals = fit.conf_int(alpha=0.05)
    return {"name": name, "rows": X.tolist(), "y": y.tolist(), "lag": lag,
            "coefficients": fit.params.tolist(), "standard_errors": fit.bse.tolist(),
            "lower": intervals[:, 0].tolist(), "upper": intervals[:, 1].tolist()}


cases = [
    case("a year and two months, change after a year", 426, 366),
    case("61 days, change at day 30, little autocorrelation", 61, 30, phi=0.1, scale=3),
    case("426 days with a second break nine days before the change", 426, 366, event=357),
]
print(json.dumps({"made_by": "segmented_regression.py with statsmodels " + sm.__version__, "cases": cases}))
