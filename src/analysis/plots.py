"""Figure builders: frames in, matplotlib Figure out.

Every function takes the frames it draws and an optional ``ax``, builds the
figure and returns it; none shows or saves anything (the report does that).
Each event type has one colour, :data:`EVENT_COLORS`, in every chart.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.textpath import TextPath

from analysis import schema
from analysis.series import (
    FREQ_UNITS,
    check_freq,
    incident_labels,
    incident_weight,
    infer_freq,
    period_calendar,
    select_overlapping,
)

#: One colour per event type, the same in every chart: escalations in reds
#: and browns, talks and agreements in blues and greens.
EVENT_COLORS: dict[str, str] = {
    "missile_launch": "#d62728",
    "satellite_launch": "#ff7f0e",
    "nuclear_test": "#67000d",
    "weapons_test": "#e377c2",
    "artillery_fire": "#8c564b",
    "military_exercise": "#bcbd22",
    "border_incident": "#9467bd",
    "meeting": "#1f77b4",
    "threat": "#525252",
    "sanctions": "#17becf",
    "agreement": "#2ca02c",
}

#: Colours of the tension index and its components.
TENSION_COLORS: dict[str, str] = {
    "tension": "#111111",
    "incident_index": "#d62728",
    "rhetoric_index": "#9467bd",
    "tone_index": "#1f77b4",
}

#: At most this many jumps are numbered and named on the tension chart (the largest).
MAX_JUMP_LABELS = 8

_COMPONENT_NAMES = {
    "incident_index": "incidents",
    "rhetoric_index": "rhetoric (threat and act terms)",
    "tone_index": "tone (VADER, darker = higher)",
}


def _check_types(frame: pd.DataFrame) -> None:
    unknown = sorted(set(frame["event_type"].dropna()) - set(EVENT_COLORS))
    if unknown:
        raise ValueError(f"unknown event types {unknown}; expected one of {schema.EVENT_TYPES}")


def _figure(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _date_axis(ax: Axes, label: str) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel(label)


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="0.4")
    ax.set_xticks([])
    ax.set_yticks([])


def _dates(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """Name a day or a range briefly: "5 Jan", "5-7 Jan", "28 Dec-3 Jan", "Apr"."""
    if pd.isna(last) or last <= first:
        return f"{first.day} {first:%b}"
    if first.day == 1 and last == first + pd.offsets.MonthEnd(0):
        return f"{first:%b}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {last:%b}"
    return f"{first.day} {first:%b}-{last.day} {last:%b}"


def plot_timeline(
    incidents: pd.DataFrame,
    *,
    start: object | None = None,
    end: object | None = None,
    n_labels: int = 8,
    title: str = "Incidents by type",
    ax: Axes | None = None,
) -> Figure:
    """Draw the incident timeline, one lane per event type.

    Parameters
    ----------
    incidents : pandas.DataFrame
        Rows of ``schema.INCIDENTS``.
    start, end : date-like, optional
        Draw only incidents that overlap this window.
    n_labels : int
        Label at most this many major incidents (the largest intensity weight
        times number of sources, at most three per lane), placed where they
        collide with no other label or mark; one with no free place is left
        out.
    title : str
        The figure's title.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        One lane per event type present; an incident dated to a range is drawn
        as a bar over the range; marks are sized by ``n_sources``; planned
        incidents are hollow and denied ones crossed.
    """
    _check_types(incidents)
    shown = select_overlapping(incidents, start=start, end=end)
    lanes = [t for t in schema.EVENT_TYPES if t in set(shown["event_type"])]
    fig, ax = _figure(ax, (11, 1.6 + 0.45 * max(len(lanes), 3)))
    ax.set_title(title)
    if shown.empty:
        _empty(ax, "No incidents in this window")
        return fig
    lane_of = {t: len(lanes) - 1 - i for i, t in enumerate(lanes)}
    y = shown["event_type"].map(lane_of).to_numpy(dtype=float)
    first = shown["date_start"]
    last = shown["date_end"].where(shown["date_end"].notna(), first)
    colors = shown["event_type"].map(EVENT_COLORS).to_numpy()
    sources = shown["n_sources"].fillna(1).astype(float).clip(lower=1).to_numpy()
    sizes = 18 + 22 * np.sqrt(sources)

    is_range = (last > first).to_numpy()
    if is_range.any():
        ax.hlines(
            y[is_range],
            first[is_range],
            last[is_range] + pd.Timedelta(days=1),
            colors=colors[is_range],
            linewidth=5,
            alpha=0.45,
        )
    middle = first + (last - first) / 2
    modality = shown["modality"].fillna("happened").to_numpy()
    for kind, style in (
        ("happened", {"marker": "o"}),
        ("planned", {"marker": "o", "facecolors": "none"}),
        ("denied", {"marker": "X"}),
    ):
        pick = modality == kind
        if not pick.any():
            continue
        face = style.get("facecolors", colors[pick])
        edge = colors[pick] if "facecolors" in style else "white"
        ax.scatter(
            middle[pick],
            y[pick],
            s=sizes[pick],
            marker=style["marker"],
            facecolors=face,
            edgecolors=edge,
            linewidths=0.8 if "facecolors" not in style else 1.5,
            zorder=3,
        )

    lo, hi = first.min(), (last + pd.Timedelta(days=1)).max()
    pad = max(pd.Timedelta(days=3), (hi - lo) * 0.03)
    ax.set_xlim(lo - pad, hi + pad)

    ax.set_yticks(range(len(lanes)), [lanes[len(lanes) - 1 - i] for i in range(len(lanes))])
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    for label in ax.get_yticklabels():
        label.set_color(EVENT_COLORS[label.get_text()])
    ax.grid(axis="x", color="0.9")
    _date_axis(ax, "Date of the incident")
    handles = [
        Line2D([], [], marker="o", ls="", color="0.3", label="happened"),
        Line2D([], [], marker="o", ls="", mfc="none", color="0.3", label="planned"),
        Line2D([], [], marker="X", ls="", color="0.3", label="denied"),
        Line2D([], [], color="0.3", lw=5, alpha=0.45, label="date range"),
    ]
    for n in (1, 5, 20):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                color="0.6",
                markersize=np.sqrt(18 + 22 * np.sqrt(n)),
                label=f"{n} source{'s' if n > 1 else ''}",
            )
        )
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
    )
    if n_labels > 0:
        rank = shown.assign(_score=incident_weight(shown).to_numpy() * sources, _y=y, _x=middle)
        rank = rank.loc[rank["modality"].fillna("happened") == "happened"]
        # The heaviest incidents, at most three per lane, so a busy lane stays legible.
        major = (
            rank.sort_values(["_score", "date_start", "incident_id"], ascending=[False, True, True])
            .groupby("event_type", sort=False)
            .head(3)
            .head(n_labels)
        )
        marks = [
            (x0, x1, lane, np.sqrt(size) / 2)
            for x0, x1, lane, size in zip(first, last + pd.Timedelta(days=1), y, sizes, strict=True)
        ]
        _place_labels(ax, major, marks, is_range=is_range)
    return fig


#: Font size of the incident labels on the timeline, in points.
_LABEL_SIZE = 7.5


def _text_width(text: str, size: float) -> float:
    """Width of ``text`` in points, from the font's glyphs (no renderer needed)."""
    return TextPath((0, 0), text, size=size, prop=FontProperties()).get_extents().width


def _place_labels(
    ax: Axes, major: pd.DataFrame, marks: list[tuple], *, is_range: np.ndarray
) -> None:
    """Label the major incidents greedily, the heaviest first, where no label collides.

    The layout works in points on the axes as the figure lays it out: each
    label tries beside its mark above, below, then further above and below,
    extending right (or left in the right half, so it stays inside); the first
    place that overlaps no label already placed, no mark and no range bar, and
    stays inside the axes, wins. A label with no free place is left out (the
    incident table lists every incident). The same figure always gets the same
    layout: no randomness, ties broken by date and id.
    """
    fig = ax.figure
    # Lay the figure out once without the labels, so that the axes have their
    # final size; the labels stay out of the layout so it does not move again.
    fig.draw_without_rendering()
    box = ax.get_window_extent()
    width, height = box.width * 72 / fig.dpi, box.height * 72 / fig.dpi
    (x_lo, x_hi), (y_lo, y_hi) = ax.get_xlim(), ax.get_ylim()

    def px(value: object) -> float:
        return (mdates.date2num(value) - x_lo) / (x_hi - x_lo) * width

    def py(value: float) -> float:
        return (value - y_lo) / (y_hi - y_lo) * height

    taken = []
    for (x0, x1, lane, radius), ranged in zip(marks, is_range, strict=True):
        if ranged:
            taken.append((px(x0), px(x1), py(lane) - 2.5, py(lane) + 2.5))
        mid = (px(x0) + px(x1)) / 2 if ranged else px(x0 + (x1 - x0) / 2)
        taken.append((mid - radius, mid + radius, py(lane) - radius, py(lane) + radius))

    def free(candidate: tuple[float, float, float, float]) -> bool:
        left, right, bottom, top = candidate
        if left < 0 or right > width or bottom < 0 or top > height:
            return False
        return not any(
            left < x1 and x0 < right and bottom < y1 and y0 < top for x0, x1, y0, y1 in taken
        )

    text_height = 1.25 * _LABEL_SIZE
    # Far enough from a lane that a label clears the largest mark on it.
    near = max(radius for *_, radius in marks) + 2
    texts = [
        f"{name}, {_dates(first, last)}"
        for name, first, last in zip(
            incident_labels(major), major["date_start"], major["date_end"], strict=True
        )
    ]
    for text, (_, row) in zip(texts, major.iterrows(), strict=True):
        w = _text_width(text, _LABEL_SIZE)
        x, yy = px(row["_x"]), py(row["_y"])
        sides = (1, -1) if x < width / 2 else (-1, 1)
        for dy, side in (
            (d * s, side) for d in (near, near + text_height + 1) for s in (1, -1) for side in sides
        ):
            left = x + 4 if side > 0 else x - 4 - w
            bottom = yy + dy if dy > 0 else yy + dy - text_height
            candidate = (left, left + w, bottom, bottom + text_height)
            # The leader runs from the mark to the label's near corner: a
            # label placed further out must not have it cross another label.
            corridor = (
                min(x, x + 4 * side),
                max(x, x + 4 * side),
                min(yy, bottom),
                max(yy, bottom),
            )
            if free(candidate) and (abs(dy) == near or free(corridor)):
                taken.append(candidate)
                if abs(dy) != near:
                    taken.append(corridor)
                ax.annotate(
                    text,
                    xy=(row["_x"], row["_y"]),
                    xytext=(4 * side, dy),
                    textcoords="offset points",
                    ha="left" if side > 0 else "right",
                    va="bottom" if dy > 0 else "top",
                    fontsize=_LABEL_SIZE,
                    color="0.15",
                    arrowprops={"arrowstyle": "-", "color": "0.6", "lw": 0.6},
                ).set_in_layout(False)
                break


def _period_name(start: pd.Timestamp, freq: str) -> str:
    """Name a period by its first day: "5 Jan 2024", "week of 1 Jan 2024", "Jan 2024"."""
    if freq == "M":
        return f"{start:%b %Y}"
    day = f"{start.day} {start:%b %Y}"
    return f"week of {day}" if freq == "W" else day


def _shade_gaps(ax: Axes, x: pd.Series, missing: pd.Series, *, label: str | None) -> None:
    """Shade the runs of periods where ``missing`` holds, centred on their dates."""
    if not missing.any() or len(x) < 2:
        return
    step = pd.Series(x).diff().median()
    runs = (missing != missing.shift()).cumsum()[missing]
    for _, run in x[missing].groupby(runs.to_numpy()):
        ax.axvspan(
            run.iloc[0] - step / 2,
            run.iloc[-1] + step / 2,
            color="0.9",
            lw=0,
            zorder=0,
            label=label,
        )
        label = None


def plot_tension(
    tension: pd.DataFrame,
    *,
    jumps: pd.DataFrame | None = None,
    components: bool = True,
    title: str = "Tension index",
    ax: Axes | None = None,
) -> Figure:
    """Draw the tension index, its rolling mean, its components and its jumps.

    Parameters
    ----------
    tension : pandas.DataFrame
        The output of :func:`analysis.series.tension_index`.
    jumps : pandas.DataFrame, optional
        The output of :func:`analysis.series.tension_jumps`; each jump is
        marked and labelled with the incidents that moved it (or its driver).
    components : bool
        Draw the three normalised components too: on a second panel below the
        index when the function makes the figure, on ``ax`` otherwise.
    title : str
        The figure's title.
    ax : matplotlib.axes.Axes, optional
        Draw everything here instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if ax is None:
        fig = Figure(figsize=(11, 6.5 if components else 4), layout="constrained")
        if components:
            top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        else:
            top, bottom = fig.add_subplot(), None
    else:
        fig, top, bottom = ax.figure, ax, ax if components else None
    top.set_title(title)
    if tension.empty:
        _empty(top, "No articles in this window")
        return fig
    x = tension["period_date"]
    # A period without an index is a gap, shaded so that it reads as one.
    gaps = tension["tension"].isna().reset_index(drop=True)
    x = x.reset_index(drop=True)
    _shade_gaps(top, x, gaps, label="no index (too few articles)")
    if bottom is not None and bottom is not top:
        _shade_gaps(bottom, x, gaps, label=None)
    top.axhline(100, color="0.6", lw=0.8, ls=":", label="window mean = 100")
    # Markers keep a period between two gaps (no articles) visible.
    top.plot(
        x,
        tension["tension"],
        color=TENSION_COLORS["tension"],
        lw=2,
        marker="o",
        markersize=2.5,
        label="tension index",
    )
    top.plot(
        x,
        tension["tension_rolling"],
        color=TENSION_COLORS["tension"],
        lw=1.2,
        ls="--",
        alpha=0.7,
        label="rolling mean",
    )
    if bottom is not None:
        if bottom is not top:
            bottom.axhline(100, color="0.6", lw=0.8, ls=":")
        for column, name in _COMPONENT_NAMES.items():
            bottom.plot(
                x,
                tension[column],
                color=TENSION_COLORS[column],
                lw=1.1,
                marker="o",
                markersize=2,
                alpha=0.85,
                label=name,
            )
    if jumps is not None and not jumps.empty:
        top.scatter(
            jumps["period_date"],
            jumps["tension"],
            s=50,
            facecolors="none",
            edgecolors="#d62728",
            linewidths=1.5,
            zorder=4,
            label="jump",
        )
        # Number the jumps on the curve and name them in a list beside it: long
        # labels written on the curve print over each other when jumps are close.
        shown = jumps.nlargest(MAX_JUMP_LABELS, "change").sort_values("period_date")
        freq = infer_freq(tension["period_date"])
        lines = ["Jumps (what weighed most)"]
        for number, (_, row) in enumerate(shown.iterrows(), start=1):
            top.annotate(
                str(number),
                xy=(row["period_date"], row["tension"]),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                fontweight="bold",
                color="#d62728",
            )
            text = row["label"] if row["label"] else f"{row['driver']} rose"
            parts = text.split("; ")
            if len(parts) > 1:
                text = f"{parts[0]} +{len(parts) - 1}"
            lines.append(f"{number}  {_period_name(row['period_date'], freq)}: {text}")
        top.text(1.02, 0.62, "\n".join(lines), transform=top.transAxes, va="top", fontsize=7.5)
        low, high = top.get_ylim()
        top.set_ylim(low, high + 0.06 * (high - low))
    top.set_ylabel("Index (mean = 100)")
    top.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    top.grid(axis="y", color="0.92")
    if bottom is not None and bottom is not top:
        bottom.set_title("Components", fontsize=10)
        bottom.set_ylabel("Index (mean = 100)")
        bottom.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        bottom.grid(axis="y", color="0.92")
        top.tick_params(labelbottom=False)
        _date_axis(bottom, "Period")
    else:
        _date_axis(top, "Period")
    return fig


def plot_mentions(
    series: pd.DataFrame,
    *,
    kind: str = "lines",
    value: str = "share",
    terms: Iterable[str] | None = None,
    top: int = 8,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw mentions of actors and terms over time, as lines or a heatmap.

    Parameters
    ----------
    series : pandas.DataFrame
        The output of :func:`analysis.series.count_mentions`.
    kind : {"lines", "heatmap"}
        One line per term, or one heatmap row per term.
    value : {"share", "n_articles", "n_mentions"}
        What to draw: the share of the period's articles, or counts.
    terms : iterable of str, optional
        Terms (actor codes or chosen terms) to draw; else the ``top`` terms by
        number of articles.
    top : int
        How many terms to draw when ``terms`` is not given.
    title : str, optional
        The figure's title.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if kind not in ("lines", "heatmap"):
        raise ValueError(f"kind must be 'lines' or 'heatmap', not {kind!r}")
    if value not in ("share", "n_articles", "n_mentions"):
        raise ValueError(f"value must be 'share', 'n_articles' or 'n_mentions', not {value!r}")
    if terms is None:
        totals = series.groupby("term")["n_articles"].sum()
        chosen = sorted(totals.index, key=lambda t: (-totals[t], t))[:top]
    else:
        chosen = list(terms)
    ylabel = {
        "share": "Share of the period's articles",
        "n_articles": "Articles",
        "n_mentions": "Mentions",
    }[value]
    title = title or f"Mentions over time ({ylabel.lower()})"
    fig, ax = _figure(ax, (11, 4.5 if kind == "lines" else 1.5 + 0.35 * max(len(chosen), 3)))
    ax.set_title(title)
    shown = series.loc[series["term"].isin(chosen)]
    if shown.empty:
        _empty(ax, "No mentions in this window")
        return fig
    table = shown.pivot_table(
        index="period_date", columns="term", values=value, aggfunc="sum", dropna=False
    ).reindex(columns=chosen)
    if value == "share":
        # A period without articles has no share: keep the gap visible.
        empty = shown.groupby("period_date")["n_period_articles"].max() == 0
        table = table.where(~empty.reindex(table.index, fill_value=False), np.nan)
    if kind == "lines":
        cmap = matplotlib.colormaps["tab10"]
        for i, term in enumerate(chosen):
            # Markers keep a period between two gaps (no articles) visible.
            ax.plot(
                table.index,
                table[term],
                lw=1.5,
                color=cmap(i % 10),
                marker="o",
                markersize=3,
                label=term,
            )
        ax.set_ylabel(ylabel)
        ax.legend(title="Actor or term", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        ax.grid(axis="y", color="0.92")
        _date_axis(ax, "Period")
        return fig
    dates = table.index
    step = dates[1] - dates[0] if len(dates) > 1 else pd.Timedelta(days=1)
    edges = mdates.date2num(list(dates) + [dates[-1] + step])
    mesh = ax.pcolormesh(
        edges,
        np.arange(len(chosen) + 1),
        np.ma.masked_invalid(table.T.to_numpy(dtype=float)),
        cmap="Reds",
        shading="flat",
    )
    # Cells without articles are masked: grey, unlike a share of zero.
    ax.set_facecolor("0.82")
    ax.xaxis_date()
    ax.set_yticks(np.arange(len(chosen)) + 0.5, chosen)
    ax.invert_yaxis()
    ax.set_ylabel("Actor or term")
    fig.colorbar(mesh, ax=ax, label=ylabel)
    _date_axis(ax, "Period")
    return fig


def _counts_by_period(
    frame: pd.DataFrame, *, freq: str, start: object | None, end: object | None
) -> pd.DataFrame:
    periods, dated = period_calendar(frame, freq=freq, start=start, end=end, column="date_start")
    if len(periods) == 0:
        return pd.DataFrame()
    counts = (
        dated.groupby(["period", "event_type"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=periods, fill_value=0)
    )
    types = [t for t in schema.EVENT_TYPES if t in counts.columns]
    counts = counts.reindex(columns=types, fill_value=0)
    counts.index = periods.start_time
    return counts


def plot_event_counts(
    events: pd.DataFrame,
    *,
    freq: str = "M",
    start: object | None = None,
    end: object | None = None,
    modalities: Iterable[str] = ("happened",),
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw the number of events per type per period as stacked bars.

    Parameters
    ----------
    events : pandas.DataFrame
        Rows of ``schema.EVENTS`` (event mentions) or ``schema.INCIDENTS``,
        counted by ``date_start``.
    freq : {"D", "W", "M"}
        The period of a bar; a month by default.
    start, end : date-like, optional
        The window; by default the first and last event dates.
    modalities : iterable of str
        Count only these modalities.
    title : str, optional
        The figure's title.
    ax : matplotlib.axes.Axes, optional
        Draw here instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    freq = check_freq(freq)
    _check_types(events)
    chosen = events.loc[events["modality"].fillna("happened").isin(list(modalities))]
    unit = FREQ_UNITS[freq]
    fig, ax = _figure(ax, (11, 4.5))
    ax.set_title(title or f"Events per type per {unit}")
    counts = _counts_by_period(chosen, freq=freq, start=start, end=end)
    if counts.empty or counts.to_numpy().sum() == 0:
        _empty(ax, "No events in this window")
        return fig
    width_days = {"D": 0.8, "W": 5.6, "M": 24.0}[freq]
    # Centre each bar on the middle of its period.
    x = counts.index + pd.Timedelta(days={"D": 0.5, "W": 3.5, "M": 15.0}[freq])
    bottom = np.zeros(len(counts))
    for event_type in counts.columns:
        values = counts[event_type].to_numpy(dtype=float)
        ax.bar(
            x,
            values,
            width=width_days,
            bottom=bottom,
            color=EVENT_COLORS[event_type],
            label=event_type.replace("_", " "),
            edgecolor="white",
            linewidth=0.4,
        )
        bottom += values
    # Headroom, so that the tallest bar does not touch the frame.
    ax.set_ylim(0, bottom.max() * 1.08)
    ax.set_ylabel(f"Events per {unit}")
    ax.legend(title="Event type", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.grid(axis="y", color="0.92")
    _date_axis(ax, f"{unit.capitalize()} of the event")
    return fig
