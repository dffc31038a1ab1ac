"""Geometry shared by the diagram checks (tests/test_bpmn_diagrams.py, tests/browser/test_bpmn_js_import.py)."""

from __future__ import annotations


def segment_crosses(x: float, y: float, width: float, height: float,
                    start: tuple[float, float], end: tuple[float, float]) -> bool:
    """Whether the segment start-end passes through the inside of the box (Liang-Barsky clipping)."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    low, high = 0.0, 1.0
    for p, q in ((-dx, start[0] - x), (dx, x + width - start[0]), (-dy, start[1] - y), (dy, y + height - start[1])):
        if p == 0:
            if q <= 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return low < high
