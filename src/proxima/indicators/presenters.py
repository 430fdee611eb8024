"""The dashboard's results as pages and files show them: bar charts drawn as SVG on the
server (no script, no chart library to load), the tables under them, and the rows of the
CSV and XLSX exports."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proxima.indicators.definitions import SECTIONS
from proxima.indicators.services import Result, Value
from proxima.indicators.templatetags.indicators import shown

LABEL_WIDTH = 300
BAR_WIDTH = 300
ROW_HEIGHT = 22
CHART_WIDTH = LABEL_WIDTH + BAR_WIDTH + 110


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: int
    hidden: bool


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH
    bar_x: int = LABEL_WIDTH + 8


def chart_of(result: Result) -> Chart | None:
    """Horizontal bars of the lines' first figure (a hidden figure: no bar, the word)."""
    if not result.chart or not result.applicable or not result.lines:
        return None
    numbers = [
        float(line.values[0].number)
        for line in result.lines
        if line.values and isinstance(line.values[0].number, (int, float))
    ]
    top = max(numbers, default=0) or 1
    bars = []
    for index, line in enumerate(result.lines):
        value = line.values[0]
        number = value.number if isinstance(value.number, (int, float)) else 0
        bars.append(
            Bar(
                label=line.label if len(line.label) <= 42 else line.label[:41] + "…",
                text=shown(value),
                y=index * ROW_HEIGHT,
                width=round(BAR_WIDTH * float(number) / top),
                hidden=value.hidden,
            )
        )
    return Chart(bars=bars, height=len(bars) * ROW_HEIGHT + 4)


def sections(results: list[Result]) -> list[dict]:
    """The results grouped by section, in order, each with its chart."""
    grouped: dict[str, dict] = {}
    for result in results:
        section = result.definition.section
        grouped.setdefault(section, {"title": SECTIONS[section], "items": []})
        grouped[section]["items"].append({"result": result, "chart": chart_of(result)})
    return list(grouped.values())


def export_rows(results: list[Result]) -> tuple[list[str], list[list]]:
    """Every figure as one row (indicator, row, measure, value, unit), in the reader's
    language; a hidden figure has no value and says so."""
    header = [
        _("Section"),
        _("Indicator"),
        _("Row"),
        _("Measure"),
        _("Value"),
        _("Unit"),
        _("Note"),
    ]
    rows: list[list] = []
    for result in results:
        section = str(SECTIONS[result.definition.section])
        title = str(result.definition.title)
        if not result.applicable:
            rows.append([section, title, "", "", None, "", result.reason])
            continue
        for label, value in result.headline:
            rows.append([section, title, "", label, *_cell(value)])
        for line in result.lines:
            for column, value in zip(result.columns[1:], line.values, strict=False):
                rows.append([section, title, line.label, column, *_cell(value)])
    return header, rows


# Each figure's unit as the exports write it (lazy: read in the reader's language).
UNITS = {
    "percent": "%",
    "hours": "h",
    "per_1000": "‰",
    "days": gettext_lazy("days"),
    "days_left": gettext_lazy("days"),
    "score": gettext_lazy("points"),
    "reported": gettext_lazy("reported by the parties"),
}


def _cell(value: Value) -> list:
    if value.hidden:
        return [None, "", _("suppressed: fewer than 5, or computable from such a cell")]
    return [value.number, str(UNITS.get(value.unit, "")), ""]


def definition_rows() -> tuple[list[str], list[list]]:
    """Each indicator's definition, for the exports' second sheet."""
    from proxima.indicators.definitions import DEFINITIONS

    header = [_("Indicator"), _("Counted"), _("Out of"), _("Period")]
    return header, [
        [str(d.title), str(d.numerator), str(d.denominator), str(d.period)] for d in DEFINITIONS
    ]


def extract_zip(extract) -> bytes:
    """The research extract as one ZIP: the rows (extract.csv), the report of what was
    generalized and suppressed, and what each column holds (README.txt), in the reader's
    language."""
    import io
    import zipfile

    from proxima.indicators.extract import COLUMN_DESCRIPTIONS, extract_csv

    readme = [_("De-identified research extract (Proxima)"), ""]
    readme += extract.report_lines()
    readme += ["", _("Columns:")]
    readme += [f"- {name}: {text}" for name, text in COLUMN_DESCRIPTIONS.items()]
    readme += ["", _("Codes used in the file:")]
    readme += [f"- {column}: {code} = {label}" for column, code, label in extract_codes()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("extract.csv", extract_csv(extract))
        archive.writestr("README.txt", "\n".join(readme) + "\n")
    return out.getvalue()


def extract_codes() -> list[tuple[str, str, str]]:
    """The codes the extract writes (channel, priority, risks, barriers, strengths,
    needs), each with its words in the reader's language."""
    from proxima.indicators.services import BARRIER_LABELS, strength_labels
    from proxima.intake.models import Channel, Priority, RiskKind

    rows = [("channel", code, str(label)) for code, label in Channel.choices]
    rows += [("priority", code, str(label)) for code, label in Priority.choices]
    rows += [("risks", code, str(label)) for code, label in RiskKind.choices]
    rows += [("barriers", code, str(label)) for code, label in BARRIER_LABELS.items()]
    rows += [("strengths", code, label) for code, label in strength_labels().items()]
    rows += [("needs", code, label) for code, label in _need_labels().items()]
    return rows


def _need_labels() -> dict[str, str]:
    """The need domains the needs questionnaire asks about, in the reader's language."""
    from proxima.intake.services.questionnaires import (
        ScreeningInputError,
        need_label,
        questionnaire,
    )

    try:
        items = questionnaire("needs-screen").definition.get("items", [])
    except ScreeningInputError:  # no questionnaire loaded: no need to name
        return {}
    domains = [item["domain"] for item in items if item.get("type") == "need"]
    return {domain: need_label(domain) for domain in dict.fromkeys(domains)}
