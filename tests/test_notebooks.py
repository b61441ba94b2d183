"""The notebooks run, top to bottom, on the sample corpus (so they cannot rot)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import ROOT, SAMPLE

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def test_the_notebooks_are_there_and_committed_without_outputs():
    assert [p.name for p in NOTEBOOKS] == [
        "01-corpus.ipynb",
        "02-events-review.ipynb",
        "03-incident-timeline.ipynb",
        "04-tension-and-mentions.ipynb",
        "05-review.ipynb",
    ]
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert all(not c["outputs"] and c["execution_count"] is None for c in code), path.name
        tagged = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: one papermill parameters cell"
        params = "".join(tagged[0]["source"])
        assert "corpus =" in params and "start =" in params and "end =" in params


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_sample_corpus(path, tmp_path):
    papermill = pytest.importorskip("papermill")
    if not SAMPLE.is_dir() or not any(SAMPLE.iterdir()):
        pytest.skip(f"the sample corpus {SAMPLE} is empty")
    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(out),
        parameters={"corpus": str(SAMPLE)},
        kernel_name="python3",
        cwd=str(path.parent),
        progress_bar=False,
        log_output=False,
    )
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    # Every figure cell drew a picture.
    figures = [
        c for c in cells if c["cell_type"] == "code" and "analysis.plot_" in "".join(c["source"])
    ]
    for cell in figures:
        assert any("image/png" in o.get("data", {}) for o in cell["outputs"]), cell["source"]


@pytest.mark.slow
def test_the_review_notebook_writes_the_scripted_decisions(tmp_path):
    papermill = pytest.importorskip("papermill")
    pytest.importorskip("ipywidgets")
    from analysis.corrections import read_corrections, review_queue
    from analysis.pipeline import run_pipeline

    if not SAMPLE.is_dir() or not any(SAMPLE.iterdir()):
        pytest.skip(f"the sample corpus {SAMPLE} is empty")
    queue = review_queue(run_pipeline([SAMPLE]).events)
    moved = queue.loc[2]
    new_day = f"{moved['date_start'] + pd.Timedelta(days=1):%Y-%m-%d}"
    path = tmp_path / "corrections.csv"
    decisions = [
        {"action": "reject", "note": "not an event"},
        {"action": "accept"},
        {"action": "correct", "date_start": new_day},
    ]
    notebook = ROOT / "notebooks" / "05-review.ipynb"
    papermill.execute_notebook(
        str(notebook),
        str(tmp_path / notebook.name),
        parameters={
            "corpus": str(SAMPLE),
            "corrections_path": str(path),
            "author": "tester",
            "decisions": decisions,
        },
        kernel_name="python3",
        cwd=str(notebook.parent),
        progress_bar=False,
        log_output=False,
    )
    table = read_corrections(path)
    assert table["event_id"].tolist() == [queue.loc[0, "event_id"], moved["event_id"]]
    assert table["action"].tolist() == ["reject", "correct"]
    assert table["date_start"].tolist() == [pd.NaT, pd.Timestamp(new_day)]
    assert table["author"].tolist() == ["tester", "tester"]
    assert table.loc[0, "note"] == "not an event"
