"""Open the report in a real browser: headless Chromium loads every image and table."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import series_frames as sf

import analysis.pipeline
from analysis.report import write_report

# Written into a copy of the page: after the load event it records in the DOM
# how many images decoded (naturalWidth > 0) and how many tables there are.
CHECK = """<script>
window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute("data-images", images.length);
  document.body.setAttribute("data-images-loaded", loaded.length);
  document.body.setAttribute("data-tables", document.querySelectorAll("table").length);
});
</script>
</body>"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no headless Chromium on this machine (apt-get install chromium; .ci/run does)")


def _run(browser: str, profile, *args: str) -> subprocess.CompletedProcess:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A report of the hand-made run (no other stage needed)."""
    _chromium()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(analysis.pipeline, "run_pipeline", lambda paths, **kw: sf.result())
        return write_report(["in"], out=tmp_path_factory.mktemp("browser") / "report")


@pytest.mark.slow
def test_chromium_loads_every_image_and_table(report, tmp_path):
    browser = _chromium()
    out = tmp_path / "report"
    shutil.copytree(report, out)
    page = (out / "index.html").read_text(encoding="utf-8")
    n_images = page.count("<img ")
    n_tables = page.count("<table>")
    assert n_images == 5 and n_tables >= 2
    probe = out / "_probe.html"
    probe.write_text(page.replace("</body>", CHECK), encoding="utf-8")

    dom = _run(
        browser, tmp_path / "profile", "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r"<body[^>]*>", dom.stdout)
    assert body, dom.stdout[:2000]
    attributes = dict(re.findall(r'(data-[a-z-]+)="(\d+)"', body.group(0)))
    assert attributes == {
        "data-images": str(n_images),
        "data-images-loaded": str(n_images),
        "data-tables": str(n_tables),
    }

    shot = tmp_path / "screenshot.png"
    done = _run(
        browser,
        tmp_path / "profile",
        "--window-size=1280,2400",
        f"--screenshot={shot}",
        (out / "index.html").as_uri(),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000


@pytest.mark.slow
def test_a_missing_image_is_caught(report, tmp_path):
    """The check can fail: remove one PNG and the browser reports it unloaded."""
    browser = _chromium()
    out = tmp_path / "report"
    shutil.copytree(report, out)
    (out / "terms.png").unlink()
    probe = out / "_probe.html"
    probe.write_text(
        (out / "index.html").read_text(encoding="utf-8").replace("</body>", CHECK),
        encoding="utf-8",
    )
    dom = _run(
        browser, tmp_path / "profile", "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()
    )
    attributes = dict(re.findall(r'(data-[a-z-]+)="(\d+)"', dom.stdout))
    assert attributes["data-images"] == "5" and attributes["data-images-loaded"] == "4"
