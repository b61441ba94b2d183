"""Figures tested by structure: axes, artists, labels."""

from __future__ import annotations

import matplotlib
import matplotlib.dates

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import series_frames as sf  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection, QuadMesh  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analysis import schema  # noqa: E402
from analysis.plots import (  # noqa: E402
    EVENT_COLORS,
    plot_event_counts,
    plot_mentions,
    plot_tension,
    plot_timeline,
)
from analysis.series import count_mentions, tension_index, tension_jumps  # noqa: E402


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _timeline_incidents() -> pd.DataFrame:
    """The two hand-made incidents, plus a planned drill dated to a week."""
    drill = sf.frame(
        schema.INCIDENTS,
        incident_id=["i-drill"],
        event_type=["military_exercise"],
        actor=["KOR"],
        date_start=pd.to_datetime(["2024-01-08"]),
        date_end=pd.to_datetime(["2024-01-14"]),
        modality=["planned"],
        n_sources=[5],
    )
    return pd.concat([sf.incidents(), drill], ignore_index=True)


def test_one_colour_per_event_type():
    assert tuple(EVENT_COLORS) == schema.EVENT_TYPES
    assert len(set(EVENT_COLORS.values())) == len(EVENT_COLORS)


def test_timeline_has_a_lane_per_type_ranges_and_labels():
    fig = plot_timeline(_timeline_incidents(), n_labels=5)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert ax.get_title() == "Incidents by type"
    assert ax.get_xlabel() == "Date of the incident"
    # Lanes in schema order, top to bottom, coloured by type.
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    assert lanes == ["meeting", "military_exercise", "missile_launch"]
    for label in ax.get_yticklabels():
        assert mcolors.same_color(label.get_color(), EVENT_COLORS[label.get_text()])
    # The week-long drill is drawn as a range.
    (ranges,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(ranges.get_segments()) == 1
    # Marks sized by sources: the 2-source launch is bigger than the 1-source meeting.
    marks = [c for c in ax.collections if isinstance(c, PathCollection)]
    sizes = sorted(s for c in marks for s in c.get_sizes())
    assert sizes[0] < sizes[1] < sizes[2]
    # Only happened incidents are labelled, the heaviest first in rank.
    labels = _texts(ax)
    assert len(labels) == 2
    assert any("missile launch (ICBM)" in t for t in labels)
    assert ax.get_legend() is not None


def test_timeline_draws_on_a_given_axes_and_handles_nothing():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_timeline(_timeline_incidents(), ax=ax) is fig
    assert len(fig.axes) == 1
    empty = plot_timeline(sf.incidents(), start="2030-01-01")
    assert "No incidents" in _texts(empty.axes[0])[0]


def test_timeline_window_keeps_an_incident_that_runs_into_it():
    # The week-long drill began on 8 January: a window from the 10th still shows it.
    fig = plot_timeline(_timeline_incidents(), start="2024-01-10", end="2024-01-31")
    lanes = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert lanes == ["military_exercise"]


def test_event_counts_fill_the_window_and_check_the_frequency():
    fig = plot_event_counts(sf.events(), freq="W", start="2023-12-18", end="2024-01-14")
    (ax,) = fig.axes
    # Four weeks, a bar per type in each, zero where nothing happened; all in week 3.
    heights = [[bar.get_height() for bar in container] for container in ax.containers]
    assert heights == [[0, 0, 2, 0], [0, 0, 1, 0]]
    with pytest.raises(ValueError, match="freq"):
        plot_event_counts(sf.events(), freq="Q")


def test_tension_shows_index_components_and_jumps():
    articles = sf.frame(
        schema.ARTICLES,
        article_id=[f"q{i}" for i in range(12)],
        title=["Weather"] * 12,
        body=["Rain is expected."] * 12,
        published_date=pd.date_range("2024-01-01", periods=12, freq="D"),
    )
    incidents = (
        sf.incidents()
        .iloc[[0]]
        .assign(date_start=pd.Timestamp("2024-01-08"), date_end=pd.Timestamp("2024-01-08"))
    )
    tension = tension_index(articles, incidents, freq="D")
    jumps = tension_jumps(tension, incidents)
    fig = plot_tension(tension, jumps=jumps)
    top, bottom = fig.axes
    assert top.get_title() == "Tension index"
    assert [line.get_label() for line in top.get_lines()] == [
        "window mean = 100",
        "tension index",
        "rolling mean",
    ]
    assert len(bottom.get_lines()) == 4
    assert bottom.get_xlabel() == "Period"
    assert "Index" in top.get_ylabel()
    # The jump is numbered on the curve and named beside it.
    number, listing = _texts(top)
    assert number == "1"
    assert listing.splitlines()[1] == "1  8 Jan 2024: PRK missile launch (ICBM)"
    assert top.get_legend() is not None and bottom.get_legend() is not None

    one = plot_tension(tension, components=False)
    assert len(one.axes) == 1


def test_tension_shades_the_week_without_an_index_and_breaks_the_lines():
    tension = tension_index(sf.articles(), sf.incidents(), freq="W")
    fig = plot_tension(tension)
    top, bottom = fig.axes
    # One grey span per run of periods without an index, centred on the week.
    (gap,) = [p for p in top.patches if p.get_label() == "no index (too few articles)"]
    left, right = gap.get_x(), gap.get_x() + gap.get_width()
    week = matplotlib.dates.date2num(pd.Timestamp("2024-01-08"))
    assert (left, right) == pytest.approx((week - 3.5, week + 3.5))
    assert len(bottom.patches) == 1
    # Neither the index nor its rolling mean is drawn across the gap.
    lines = {line.get_label(): line for line in top.get_lines()}
    for name in ("tension index", "rolling mean"):
        assert np.isnan(lines[name].get_ydata()[1]), name
    assert "no index (too few articles)" in [t.get_text() for t in top.get_legend().get_texts()]


def _crowded_launches() -> pd.DataFrame:
    """Eight launches and two artillery barrages within three weeks: labels must make room."""
    days = pd.to_datetime(
        [f"2024-01-{d:02d}" for d in (2, 4, 6, 9, 11, 13, 16, 18)] + ["2024-01-05", "2024-01-05"]
    )
    return sf.frame(
        schema.INCIDENTS,
        incident_id=[f"i{n}" for n in range(10)],
        event_type=["missile_launch"] * 8 + ["artillery_fire"] * 2,
        actor=["PRK"] * 9 + ["KOR"],
        missile_class=["ICBM", "IRBM", "SRBM", "cruise"] * 2 + [None, None],
        date_start=days,
        date_end=days,
        modality=["happened"] * 10,
        n_sources=[3] * 10,
    )


def _label_boxes(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    (ax,) = fig.axes
    return [t.get_window_extent(renderer) for t in ax.texts], ax.get_window_extent(renderer)


def test_timeline_labels_neither_overlap_nor_leave_the_axes():
    fig = plot_timeline(_crowded_launches(), n_labels=8)
    boxes, frame = _label_boxes(fig)
    # Three per lane at most; both barrages of 5 January are named.
    assert 4 <= len(boxes) <= 6
    assert any("KOR" in t.get_text() for t in fig.axes[0].texts)
    for i, one in enumerate(boxes):
        assert frame.x0 <= one.x0 and one.x1 <= frame.x1
        assert frame.y0 <= one.y0 and one.y1 <= frame.y1
        for other in boxes[i + 1 :]:
            assert not one.overlaps(other), (one, other)
    # The same incidents, the same layout.
    again, _ = _label_boxes(plot_timeline(_crowded_launches(), n_labels=8))
    assert [b.bounds for b in again] == [b.bounds for b in boxes]


def test_timeline_labels_name_a_range_by_its_days_or_month():
    one = _crowded_launches().iloc[[0, 8]]
    ranged = one.assign(
        date_start=pd.to_datetime(["2024-04-01", "2024-01-05"]),
        date_end=pd.to_datetime(["2024-04-30", "2024-01-07"]),
    )
    labels = sorted(t.get_text() for t in plot_timeline(ranged).axes[0].texts)
    assert labels == ["PRK artillery fire, 5-7 Jan", "PRK missile launch (ICBM), Apr"]


def test_mentions_as_lines_and_heatmap():
    series = count_mentions(sf.articles(), sf.mentions(), freq="W", terms=["missile"])
    fig = plot_mentions(series)
    (ax,) = fig.axes
    assert [line.get_label() for line in ax.get_lines()] == ["KOR", "PRK", "missile"]
    assert ax.get_ylabel() == "Share of the period's articles"
    assert ax.get_legend() is not None

    heat = plot_mentions(series, kind="heatmap", terms=["KOR", "PRK"], value="n_articles")
    ax, colorbar = heat.axes
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    assert mesh.get_array().shape == (2, 3)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["KOR", "PRK"]
    with pytest.raises(ValueError, match="kind"):
        plot_mentions(series, kind="pie")


def test_event_counts_stack_the_types_in_their_colours():
    fig = plot_event_counts(sf.events(), freq="W")
    (ax,) = fig.axes
    assert ax.get_title() == "Events per type per week"
    assert len(ax.containers) == 2
    for container, event_type in zip(ax.containers, ["missile_launch", "meeting"], strict=True):
        assert container.get_label() == event_type.replace("_", " ")
        for bar in container:
            assert mcolors.same_color(bar.get_facecolor(), EVENT_COLORS[event_type])
    heights = [bar.get_height() for c in ax.containers for bar in c]
    assert sum(heights) == 3
    assert ax.get_legend() is not None and ax.get_ylabel() == "Events per week"


def test_plots_neither_show_nor_register_with_pyplot():
    before = plt.get_fignums()
    plot_timeline(sf.incidents())
    plot_event_counts(sf.events())
    assert plt.get_fignums() == before


def test_unknown_event_types_raise_instead_of_losing_a_colour():
    odd = sf.incidents().assign(event_type=["missile_launch", "parade"])
    with pytest.raises(ValueError, match="parade"):
        plot_timeline(odd)
    with pytest.raises(ValueError, match="parade"):
        plot_event_counts(odd)
