"""Reports of a round: gather the answers, theme them, lay them out, render HTML, MD or XLSX.

    data = await load_round(round_id, rounds, responses, partners, themes)
    report = build_report(data)
    Path("report.html").write_text(render_html(report))
"""

from surveys.report.build import build_report
from surveys.report.charts import render_chart_png
from surveys.report.data import GivenAnswer, Invitee, Respondent, RoundData, gather, load_round
from surveys.report.export import raw_columns, raw_rows
from surveys.report.html import render_html
from surveys.report.markdown import render_markdown
from surveys.report.model import Report
from surveys.report.theming import export_round_themes, split_themes_file, text_sets
from surveys.report.xlsx import render_xlsx

__all__ = [
    "GivenAnswer",
    "Invitee",
    "Report",
    "Respondent",
    "RoundData",
    "build_report",
    "export_round_themes",
    "gather",
    "load_round",
    "raw_columns",
    "raw_rows",
    "render_chart_png",
    "render_html",
    "render_markdown",
    "render_xlsx",
    "split_themes_file",
    "text_sets",
]
