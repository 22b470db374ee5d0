#!/usr/bin/env python3
"""Checks that the page's colours stay apart for the common colour-vision deficiencies.

Reads the palettes from the Swift sources (so the check follows them), simulates protanopia, deuteranopia
and tritanopia (Machado, Oliveira and Fernandes 2009, severity 1.0) and fails when two colours a reader must
tell apart come closer than a CIE76 distance of 8 under any of them (or in normal vision), or when the heat-map
shades do not grow darker step by step (their order must survive any of them and greyscale printing).
Usage: Tests/Browser/colour_vision.py [PACKAGE_ROOT]
"""
import itertools, math, re, sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
chart = (root / "Sources/ContactMetrics/Rendering/SVGChart.swift").read_text()
page = (root / "Sources/ContactMetrics/Rendering/HTMLPage.swift").read_text()

def palette(name, text):
    match = re.search(r"static let %s = \[([^\]]*)\]" % name, text)
    return re.findall(r'"(#[0-9A-Fa-f]{6})"', match.group(1))

lines = palette("colours", chart)            # line and bar colours (Okabe–Ito)
shades = palette("shades", chart)            # heat-map shades, light to dark
rag = re.findall(r"\.rag-(green|amber|red|none) \{ background: (#[0-9a-fA-F]{6})", page)

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    "normal": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}

def linear(c):
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

def lab(rgb):
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))

def seen(hex_colour, matrix):
    rgb = [linear(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5)]
    simulated = [min(1, max(0, sum(m * c for m, c in zip(row, rgb)))) for row in matrix]
    return lab(simulated)

failures = []
for vision, matrix in MACHADO.items():
    for name, colours in (("line colours", lines), ("status colours", [c for _, c in rag])):
        for a, b in itertools.combinations(colours, 2):
            distance = math.dist(seen(a, matrix), seen(b, matrix))
            if distance < 8:
                failures.append(f"{vision}: {name} {a} and {b} are {distance:.1f} apart")
    lightness = [seen(c, matrix)[0] for c in shades]
    if any(later >= earlier - 3 for earlier, later in zip(lightness, lightness[1:])):
        failures.append(f"{vision}: heat-map shades do not darken step by step: {[round(l) for l in lightness]}")

worst = min(math.dist(seen(a, m), seen(b, m)) for m in MACHADO.values() for a, b in itertools.combinations(lines, 2))
print(f"colour check: {len(lines)} line colours (closest pair {worst:.1f} apart under any vision), "
      f"{len(shades)} shades, {len(rag)} status colours")
for failure in failures:
    print("colour check:", failure)
sys.exit(1 if failures else 0)
