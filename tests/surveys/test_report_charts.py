"""Charts as a reader sees them printed: whole numbers on an axis of people, and a
partnership profile whose labels print at a readable size on A4."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image

from surveys.report import charts
from surveys.report.model import Distribution, Profile
from surveys.report.pdf import WIDTH, block


def test_an_axis_of_people_counts_in_whole_numbers() -> None:
    # The demo's "Would you take part in a partnership workshop?" read 0.0, 2.5, 5.0 … 17.5.
    for counts in ((15, 18), (1, 2), (3, 12, 11, 7, 2)):
        points = tuple(f"Option {n}" for n in range(len(counts)))
        fig = charts.distribution_figure(Distribution("q", "Q", points, counts, ordered=False))
        ticks = fig.axes[0].get_xticks()
        assert len(ticks) >= 2 and all(t == int(t) for t in ticks), ticks


def test_a_partnership_profile_prints_its_labels_at_a_readable_size() -> None:
    # Six functions of four partnerships drew a chart 9.6 in tall; fitted to the PDF's page
    # its labels printed at 4 pt.
    functions = ("Top-down strategy", "Bottom-up strategy", "Theme coordination",
                 "Programme management", "Project management", "Tasking")
    groups = ("All respondents", "Cheshire East Health and Wellbeing Board",
              "Fareham Community Partnership", "Worcester Community Safety Partnership")
    points = ("Strongly", "Moderately", "Weakly", "Not at all")
    profile = Profile("Function profile per partnership", functions, points, groups,
                      {(g, f): (3, 4, 2, 1) for g in groups for f in functions}, positive=2)
    shown = next(f for f in block(profile) if isinstance(f, Image))
    printed = charts.LABEL_PT * charts.DPI / 72 * shown.drawWidth / shown.imageWidth
    assert printed >= 7.5, printed
    assert shown.drawHeight <= A4[1] - 60 * mm and shown.drawWidth <= WIDTH
