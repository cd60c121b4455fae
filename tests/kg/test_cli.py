"""`kg build` as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from kg.namespaces import SH
from tests.conftest import DATA, SEEDS

CORPUS_FILE = DATA / "corpus" / "AI詠唱人員-職能基準.json"


def kg(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(str, args)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_build_prints_a_summary_writes_the_graph_and_loads_the_store(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    done = kg("build", *SEEDS.values(), "--out", out, "--store", tmp_path / "store")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["standard", "name"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert rows["IIS3513-006v4"][1] == "電子商務系統規劃人員"
    assert rows["IIS3513-006v4"][2] == "5"  # duties
    assert (tmp_path / "store" / "current").is_dir()
    graph = Graph().parse(out)
    assert {str(n) for n in graph.objects(None, SKOS.notation)} >= {"IIS3513-006v4", "IIS3513-005", "J6312"}


def _malformed(folder: Path) -> dict[str, str]:
    """Bad documents beside a good one; each maps to the place its error must name."""
    folder.mkdir()
    shutil.copy(CORPUS_FILE, folder / "good.json")
    text = SEEDS["IIS3513-006v4"].read_text(encoding="utf-8")
    (folder / "truncated.txt").write_text(text[: text.index("主要職責")], encoding="utf-8")
    (folder / "broken.json").write_text('{"ocs_profile": {"ocs_code": "X"\n  "oops"}', encoding="utf-8")
    (folder / "unknown.txt").write_text("這不是職能基準\njust some text\n", encoding="utf-8")
    missing = CORPUS_FILE.read_text(encoding="utf-8").replace('"ocs_level"', '"level_of_ocs"')
    (folder / "field.json").write_text(missing, encoding="utf-8")
    return {
        "truncated.txt": "line ",
        "broken.json": "line 2",
        "unknown.txt": "unknown layout",
        "field.json": "ocs_profile.ocs_level",
    }


def test_malformed_documents_are_named_the_others_build_and_the_store_is_kept(tmp_path: Path) -> None:
    expected = _malformed(tmp_path / "in")
    store = tmp_path / "store"
    done = kg("build", tmp_path / "in", "--store", store)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("錯誤 error:")]
    assert len(errors) == len(expected)
    for name, where in expected.items():
        assert any(name in line and where in line for line in errors), (name, errors)
    assert "SET4130-002v1" in done.stdout  # the good document still built
    assert not (store / "current").exists()


def test_unknown_output_format_is_refused(tmp_path: Path) -> None:
    done = kg("build", CORPUS_FILE, "--out", tmp_path / "graph.xyz", "--no-store")
    assert done.returncode != 0
    assert "graph.xyz" in done.stderr


def _violating(folder: Path) -> Path:
    """A corpus document whose standard level is 9: outside 1–6, a Violation."""
    folder.mkdir(exist_ok=True)
    path = folder / "level9.json"
    data = json.loads(CORPUS_FILE.read_text(encoding="utf-8"))
    data["ocs_profile"]["ocs_level"] = 9
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_build_refuses_to_replace_the_store_on_a_violation(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kg("build", CORPUS_FILE, "--store", store).returncode == 0
    served = (store / "current").resolve()
    done = kg("build", _violating(tmp_path / "in"), "--store", store)
    assert done.returncode == 1
    assert "Violation" in done.stderr and "SET4130-002v1" in done.stderr
    assert (store / "current").resolve() == served


def test_validate_reports_in_json_with_exit_status(tmp_path: Path) -> None:
    clean = kg("validate", SEEDS["IIS3513-005"], "--format", "json")
    assert clean.returncode == 0, clean.stderr
    report = json.loads(clean.stdout)
    assert report["conforms"] is True
    codes = {(r["shape"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], r["focus_code"]) for r in report["results"]}
    assert ("StandardVersionSuffix", "IIS3513-005") in codes
    assert all(r["message"]["zh-Hant"] and r["message"]["en"] for r in report["results"])
    broken = kg("validate", _violating(tmp_path / "in"), "--format", "turtle")
    assert broken.returncode == 1
    graph = Graph().parse(data=broken.stdout, format="turtle")
    assert (None, SH.conforms, Literal(False)) in graph
