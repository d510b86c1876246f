"""`skillkit outdated` against a stand-in package index (a local HTTP server answering PyPI's JSON API)."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillkit.cli import app
from skillkit.outdated import Index, Limit, Pin, build, compare, level, parse_releases
from packaging.version import Version

runner = CliRunner()
NOW = datetime.now(timezone.utc)


def _files(days_ago: float, yanked: bool = False) -> list[dict]:
    stamp = (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    return [{"filename": "x.whl", "upload_time_iso_8601": stamp, "yanked": yanked}]


#: alpha: 1.0.0 (400 days ago), 1.0.1 (300), 1.1.0 (200), 1.2.0rc1 (10), 1.1.1 yanked (5)
#: beta: 1.0 (50 days), 2.0 (30 days); gamma: 0.9.0 and 0.9.1 (10 days ago)
PACKAGES = {
    "alpha": {"1.0.0": _files(400), "1.0.1": _files(300), "1.1.0": _files(200), "1.2.0rc1": _files(10),
              "1.1.1": _files(5, yanked=True), "not-a-version": _files(1), "0.1": []},
    "beta": {"1.0": _files(50), "2.0": _files(30)},
    "gamma": {"0.9.0": _files(100), "0.9.1": _files(10)},
}


class _Handler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).hits.append(self.path)
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[1] == "json" and parts[0] in PACKAGES:
            body = json.dumps({"info": {"name": parts[0]}, "releases": PACKAGES[parts[0]]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        elif parts and parts[0] == "broken":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>not json</html>")
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def index():
    _Handler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("SKILLKIT_CACHE_DIR", str(folder))
    return folder


def _skill(root: Path, name: str, deps: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(
        f"---\nname: {name}\ndescription: Does {name} things. Use when doing {name}.\n"
        f"metadata:\n  dependencies: \"{deps}\"\n---\n\n# {name}\n"
    )
    return folder


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["outdated", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_behind_level_days_and_skills_per_pin(tmp_path: Path, index: str) -> None:
    _skill(tmp_path / "skills", "one", "alpha==1.0.0 beta>=1.0")
    _skill(tmp_path / "skills", "two", "alpha==1.0.0 gamma==0.9.0")
    code, out, err = _run(str(tmp_path / "skills"), "--index-url", index, "--format", "json")
    data = json.loads(out)
    rows = {(p["package"], p["spec"]): p for p in data["pins"]}
    alpha = rows[("alpha", "==1.0.0")]
    # 1.1.0 is the newest final, not yanked release; the pre-release and the yanked 1.1.1 do not count
    assert (alpha["newest"], alpha["behind"], alpha["first_newer"]) == ("1.1.0", "minor", "1.0.1")
    assert alpha["days"] == 300 and alpha["skills"] == ["one", "two"] and alpha["over_limit"]
    assert rows[("beta", ">=1.0")]["behind"] is None  # the range allows the newest release
    gamma = rows[("gamma", "==0.9.0")]
    assert (gamma["behind"], gamma["days"], gamma["over_limit"]) == ("patch", 10, False)
    assert code == 1 and data["summary"] == {"pins": 3, "behind": 2, "over_limit": 1, "not_checked": 0}


def test_limits_from_flags_and_config(tmp_path: Path, index: str) -> None:
    root = tmp_path / "skills"
    _skill(root, "one", "alpha==1.0.0 gamma==0.9.0")
    assert _run(str(root), "--index-url", index)[0] == 1
    assert _run(str(root), "--index-url", index, "--fail-on", "major", "--max-days", "0")[0] == 0
    # patch: gamma's 0.9.1 fails it too; the day limit alone: alpha is 300 days behind
    assert _run(str(root), "--index-url", index, "--fail-on", "never", "--max-days", "299")[0] == 1
    assert _run(str(root), "--index-url", index, "--fail-on", "never", "--max-days", "300")[0] == 0
    (tmp_path / "skillkit.toml").write_text(f'[outdated]\nfail-on = "major"\nmax-days = 0\nindex-url = "{index}"\n')
    code, out, _ = _run(str(root), "--config", str(tmp_path / "skillkit.toml"))
    assert code == 0 and "1.1.0" in out
    (tmp_path / "bad.toml").write_text('[outdated]\nfail-on = "sometimes"\n')
    code, _, err = _run(str(root), "--config", str(tmp_path / "bad.toml"))
    assert code == 2 and "fail-on" in err and "Traceback" not in err


def test_unknown_package_and_bad_answers_never_stop_the_others(tmp_path: Path, index: str) -> None:
    root = tmp_path / "skills"
    _skill(root, "one", "nosuchpkg==1.0 broken==1.0 alpha==1.1.0 alpha>=9")
    code, out, err = _run(str(root), "--index-url", index)
    assert code == 0, out + err
    assert "nosuchpkg: not on the index" in err and "broken: the index answered with something that is not JSON" in err
    assert "alpha: no release on the index matches `>=9`" in err
    assert "alpha" in out and "4 pins: 0 behind, 0 over the limit" in out and "3 not checked" in out


def test_offline_index_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    root = tmp_path / "skills"
    _skill(root, "one", "alpha==1.0.0")
    code, out, err = _run(str(root), "--index-url", "http://127.0.0.1:9")  # nothing listens on port 9
    assert code == 0 and "alpha: cannot reach http://127.0.0.1:9" in err and "Traceback" not in err + out


def test_answers_are_kept_for_a_day_and_refresh_asks_again(tmp_path: Path, index: str, cache: Path) -> None:
    root = tmp_path / "skills"
    _skill(root, "one", "alpha==1.0.0")
    assert _run(str(root), "--index-url", index)[0] == 1
    assert _Handler.hits == ["/alpha/json"]
    assert _run(str(root), "--index-url", index)[0] == 1
    assert _Handler.hits == ["/alpha/json"]  # the second run read the cache
    assert _run(str(root), "--index-url", index, "--refresh")[0] == 1
    assert _Handler.hits == ["/alpha/json"] * 2
    # an answer older than a day is asked again
    stored = next((cache / "index-v2").rglob("alpha.json"))
    entry = json.loads(stored.read_text())
    entry["fetched"] -= 2 * 24 * 3600
    stored.write_text(json.dumps(entry))
    _run(str(root), "--index-url", index)
    assert _Handler.hits == ["/alpha/json"] * 3


def test_file_index_and_markdown(tmp_path: Path) -> None:
    folder = tmp_path / "index" / "alpha"
    folder.mkdir(parents=True)
    (folder / "json").write_text(json.dumps({"releases": PACKAGES["alpha"]}))
    root = tmp_path / "skills"
    _skill(root, "one", "alpha==1.0.0")
    code, out, _ = _run(str(root), "--index-url", (tmp_path / "index").as_uri(), "--format", "markdown")
    assert code == 1
    assert "| alpha | 1.0.0 | 1.1.0 | minor | 300 | **over the limit**  | one |" in out


def test_usage_errors(tmp_path: Path) -> None:
    assert _run(str(tmp_path / "missing"))[0] == 2
    _skill(tmp_path / "skills", "one", "alpha==1.0.0")
    code, _, err = _run(str(tmp_path / "skills"), "--index-url", "ftp://example")
    assert code == 2 and "--index-url" in err


def test_level_and_compare_units() -> None:
    assert level(Version("1.2.3"), Version("2.0")) == "major"
    assert level(Version("1.2.3"), Version("1.3.0")) == "minor"
    assert level(Version("1.2.3"), Version("1.2.3.post1")) == "patch"
    assert level(Version("1.2.3"), Version("1.2.3")) is None
    releases = parse_releases({"releases": PACKAGES["beta"]})
    row = compare(Pin("beta", "<2"), releases, NOW)
    assert (str(row.pinned), str(row.newest), row.behind, row.days) == ("1.0", "2.0", "major", 30)
    assert Limit("minor", 0).over(row) and not Limit("never", 31).over(row) and Limit("never", 29).over(row)
    # a pre-release pin is compared with pre-releases
    row = compare(Pin("alpha", "==1.2.0rc1"), parse_releases({"releases": PACKAGES["alpha"]}), NOW)
    assert row.behind is None and str(row.newest) == "1.2.0rc1"


def test_build_uses_one_lookup_per_package(tmp_path: Path, index: str) -> None:
    report = build([("a", {"metadata": {"dependencies": "alpha==1.0.0"}}),
                    ("b", {"metadata": {"dependencies": "Alpha==1.0.0 alpha>=1"}}),
                    ("c", {"metadata": {"dependencies": "alpha no-version-here"}})],
                   Index(index, cache_dir=tmp_path / "c"), Limit())
    assert _Handler.hits == ["/alpha/json"]
    assert [(r.pin.spec, r.pin.skills) for r in report.rows] == [("==1.0.0", ["a", "b"]), (">=1", ["b"])]
    assert any("`alpha` names no version" in n for n in report.notes)
