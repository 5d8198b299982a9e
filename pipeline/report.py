"""Score reports for ``zhie eval``: a plain-text table for the terminal and a self-contained
HTML page (inline CSS and SVG, nothing fetched) with the same tables and bar charts of F1.

Both render the JSON result that :mod:`pipeline.evaluation` returns, so what the user reads,
what ``--json`` saves and what the page shows cannot drift apart."""
from __future__ import annotations

from html import escape
from typing import Any

COLUMNS = ("p", "r", "f1", "tp", "fp", "fn")
HEADERS = ("P", "R", "F1", "tp", "fp", "fn")
SERIES_COLOURS = ("#3b6fb6", "#e08a2c", "#4c9a5b", "#9b59b6")


# --- what a result holds ----------------------------------------------------------------------

def sections(result: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(title, table) pairs; a table is ``{"micro": ..., "per_label" | "per_relation": ...}``."""
    if result["kind"] == "triples":
        return [("strict", result), ("relaxed", result["relaxed"])]
    if result["format"] == "corpus":
        entities = result["entities"]
        return [("entities per document, labels", entities["labels"]),
                ("entities per document, families", entities["families"]),
                ("MONEY mentions", {"micro": result["money"]["micro"], "per_label": {}})]
    return [(f"{name} span, {view}" if name == "exact" else f"text multiset, {view}", result[name][view])
            for view in ("labels", "families") for name in ("exact", "text")]


def charts(result: dict[str, Any]) -> list[tuple[str, dict[str, dict[str, Any]]]]:
    """(title, {series name: table}) for the F1 bar charts: the matching modes side by side."""
    if result["kind"] == "triples":
        return [("F1 per relation", {"strict": result, "relaxed": result["relaxed"]})]
    if result["format"] == "corpus":
        entities = result["entities"]
        return [("Entity F1 per document", {"labels": entities["labels"]}),
                ("Entity F1 per family", {"families": entities["families"]}),
                ("MONEY mention F1", {"mentions": {"micro": result["money"]["micro"]}})]
    return [(f"F1 per {'label' if view == 'labels' else 'family'}",
             {"exact span": result["exact"][view], "text multiset": result["text"][view]})
            for view in ("labels", "families")]


def _rows(table: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    per = table.get("per_relation", table.get("per_label", {}))
    return [*per.items(), ("micro", table["micro"])]


def _heading(result: dict[str, Any]) -> list[str]:
    docs = result["documents"]
    lines = [f"zhie eval {result['kind']}: gold {result['gold']} ({result['format']} format"
             + (f", dataset {result['dataset']})" if result.get("dataset") else ")"),
             f"predictions {result['pred']}",
             f"documents: {docs['gold']} gold, {docs['with_predictions']} with predictions, "
             f"{docs['predicted_not_in_gold']} predicted but not in the gold"]
    if result["kind"] == "triples":
        lines.append("relations: " + ", ".join(result["relations"]))
    if result.get("money"):
        money = result["money"]
        lines.append(f"MONEY value accuracy: {money['value_accuracy']:.3f} "
                     f"({money['value_correct']} of {money['micro']['tp']} matched mentions)")
    return lines


# --- text -------------------------------------------------------------------------------------

def text_report(result: dict[str, Any]) -> str:
    out = _heading(result)
    for title, table in sections(result):
        rows = _rows(table)
        width = max(12, *(len(name) for name, _ in rows))
        out += ["", title, f"{'':<{width}}  " + "  ".join(f"{h:>6}" for h in HEADERS)]
        out += [f"{name:<{width}}  " + "  ".join(_cell(scores[c]) for c in COLUMNS) for name, scores in rows]
    out += [f"warning: {w}" for w in result.get("warnings", [])]
    return "\n".join(out)


def _cell(value: float | int) -> str:
    return f"{value:>6.3f}" if isinstance(value, float) else f"{value:>6}"


# --- HTML -------------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 60em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { padding: 0.2em 0.8em; text-align: right; border-bottom: 1px solid #ddd; }
th:first-child, td:first-child { text-align: left; }
tr.micro td { font-weight: bold; border-top: 2px solid #888; }
.warning { color: #a40; }
svg text { font-size: 12px; font-family: system-ui, sans-serif; }
"""


def html_report(result: dict[str, Any]) -> str:
    body = [f"<h1>zhie eval {escape(result['kind'])}</h1>"]
    body += [f"<p>{escape(line)}</p>" for line in _heading(result)]
    body += [f'<p class="warning">{escape(w)}</p>' for w in result.get("warnings", [])]
    for title, series in charts(result):
        body += [f"<h2>{escape(title)}</h2>", bar_chart(series)]
    for title, table in sections(result):
        body += [f"<h2>{escape(title)}</h2>", _html_table(table)]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>zhie eval {escape(result['kind'])}</title><style>{STYLE}</style></head>"
            "<body>\n" + "\n".join(body) + "\n</body></html>\n")


def _html_table(table: dict[str, Any]) -> str:
    head = "<tr><th></th>" + "".join(f"<th>{h}</th>" for h in HEADERS) + "</tr>"
    rows = [f'<tr{" class=micro" if name == "micro" else ""}><td>{escape(name)}</td>'
            + "".join(f"<td>{_cell(scores[c]).strip()}</td>" for c in COLUMNS) + "</tr>"
            for name, scores in _rows(table)]
    return "<table>" + head + "".join(rows) + "</table>"


def bar_chart(series: dict[str, dict[str, Any]], bar_width: int = 360) -> str:
    """Horizontal grouped bars of F1 (0..1), one group per label or relation, inline SVG."""
    names = list(series)
    rows = list(dict.fromkeys(name for table in series.values() for name, _ in _rows(table)))
    label_width, bar, gap, legend = 150, 14, 10, 24
    group = bar * len(names) + gap
    height = legend + group * len(rows)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 60}" '
             f'height="{height}" role="img">']
    for i, name in enumerate(names):
        x = label_width + i * 120
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{SERIES_COLOURS[i % 4]}"/>'
                     f'<text x="{x + 16}" y="14">{escape(name)}</text>')
    for r, row in enumerate(rows):
        top = legend + r * group
        parts.append(f'<text x="0" y="{top + bar * len(names) / 2 + 4}">{escape(row)}</text>')
        for i, name in enumerate(names):
            scores = dict(_rows(series[name])).get(row)
            if scores is None:
                continue
            y, width = top + i * bar, scores["f1"] * bar_width
            parts.append(f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="{bar - 2}" '
                         f'fill="{SERIES_COLOURS[i % 4]}"><title>{escape(name)} {escape(row)}: '
                         f'F1 {scores["f1"]:.3f}</title></rect>'
                         f'<text x="{label_width + width + 4:.1f}" y="{y + bar - 3}">{scores["f1"]:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)
