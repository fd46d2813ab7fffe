"""The build engine (issue 12): pure tasks, executors, and faults that leave nothing behind."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import ROOT, run_cli, tree_snapshot

import formats
import pipeline
from leaflets.project import Project
from publishing.engine import executors, tasks
from publishing.engine.build import Request, build
from publishing.engine.progress import Progress

EN_TXT = "build/RAD_0009/en/RAD_0009-vertebroplasty.en.txt"
HEADING = "## What is a vertebroplasty?"


@pytest.fixture
def english(tmp_path) -> Path:
    """A project with the seed leaflet, English only (the fastest to build)."""
    root = tmp_path / "proj"
    (root / "locales").mkdir(parents=True)
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copytree(ROOT / "locales" / "templates", root / "locales" / "templates")
    return root


def quiet() -> Progress:
    return Progress(1, stream=io.StringIO())


def request(root: Path, out: Path | None = None) -> Request:
    return Request(out_dir=str(out or root / "build"), options=formats.Options())


def edit_heading(root: Path, new: str) -> None:
    src = root / "source/RAD_0009-vertebroplasty.md"
    text = src.read_text(encoding="utf-8")
    assert HEADING in text
    src.write_text(text.replace(HEADING, new), encoding="utf-8")


# --- a long-lived process sees edited sources --------------------------------------------------


def test_in_process_an_edited_source_is_built_anew(english):
    project = Project(english)
    first = build(project, ["RAD_0009"], ["en"], ["text"], request(english), progress=quiet())
    assert first.line() == "1 built"
    edit_heading(english, "## What is a vertebroplasty, briefly?")  # within the same second as the build
    # the same Project object, as a long-lived process (the desk) keeps it
    again = build(project, ["RAD_0009"], ["en"], ["text"], request(english), progress=quiet())
    assert again.line() == "1 built"
    assert "What is a vertebroplasty, briefly?" in (english / EN_TXT).read_text(encoding="utf-8")
    assert (
        build(project, ["RAD_0009"], ["en"], ["text"], request(english), progress=quiet())
        .line()
        .startswith("nothing to do")
    )


def test_in_process_pals_request_gives_the_edited_text(english, capsys):
    args = ["--root", str(english), "request", "vertebroplasty", "English", "text"]
    assert pipeline.main(args) == 0
    path = Path(capsys.readouterr().out.strip())
    assert "What is a vertebroplasty?" in path.read_text(encoding="utf-8")
    edit_heading(english, "## What is vertebroplasty, in plain words?")
    assert pipeline.main(args) == 0
    assert Path(capsys.readouterr().out.strip()) == path
    assert "What is vertebroplasty, in plain words?" in path.read_text(encoding="utf-8")


# --- executors ---------------------------------------------------------------------------------


def test_a_task_is_pure_data_in_bytes_out(english):
    """The task reads no project folder: the same job gives the same bytes with the project gone."""
    from publishing.engine.build import _job
    from publishing.engine.plan import Item, Target

    project = Project(english)
    item = Item(Target("RAD_0009", "en", "text"), english / EN_TXT, "")
    job = _job(project, "RAD_0009", "en", [item], request(english), "")
    shutil.rmtree(english / "source")
    (done,) = tasks.render(job)
    assert done.state == "built" and done.data.startswith(b"Vertebroplasty")
    assert not (english / "build").exists()  # the driver writes, never the task


def test_a_worker_running_other_pipeline_code_refuses_the_job(english):
    from dataclasses import replace

    from publishing.engine.build import _job
    from publishing.engine.plan import Item, Target

    item = Item(Target("RAD_0009", "en", "text"), english / EN_TXT, "")
    job = _job(Project(english), "RAD_0009", "en", [item], request(english), "", "a version from last year")
    (done,) = tasks.render(job)
    assert done.state == "failed" and "another version of the pipeline" in done.reason and "make install" in done.reason
    (done,) = tasks.render(replace(job, code=""))
    assert done.state == "built"


def die_once(job: tasks.Job) -> list[tasks.Rendered]:
    """A task whose worker is killed the first time it runs (a marker file remembers)."""
    marker = Path(job.scratch) / f"{job.locale}.tried"
    if job.locale == "poison" or not marker.exists():
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return [tasks.Rendered(name, "built", f"{job.locale} {name}".encode()) for name in job.formats]


def _jobs(scratch: Path, locales: list[str]) -> list[tasks.Job]:
    return [
        tasks.Job("X_1", code, ("text",), "X_1-x.md", b"", b"", None, None, "", formats.Options(), scratch=str(scratch))
        for code in locales
    ]


@pytest.mark.slow
def test_pool_retries_a_dead_worker_and_reports_a_job_that_always_kills_it(tmp_path):
    with executors.Pool(2, str(tmp_path)) as pool:
        done = {job.locale: results for job, results in pool.run(_jobs(tmp_path, ["a", "b", "poison"]), die_once)}
    assert done["a"][0].state == done["b"][0].state == "built" and done["a"][0].data == b"a text"
    assert done["poison"][0].state == "failed" and "worker process died" in done["poison"][0].reason


def die_on_poison(job: tasks.Job) -> list[tasks.Rendered]:
    """A task whose worker is killed by one job, every time it runs."""
    if job.locale == "poison":
        os.kill(os.getpid(), signal.SIGKILL)
    return [tasks.Rendered(name, "built", f"{job.locale} {name}".encode()) for name in job.formats]


def test_a_long_build_puts_a_leaflets_languages_together_and_a_short_one_does_not(tmp_path):
    many = _jobs(tmp_path, [f"l{n}" for n in range(40)])
    many[20:] = [dataclasses.replace(j, leaflet="X_2", source=b"two") for j in many[20:]]
    pieces = executors._pieces(many, 2)
    assert [j for piece in pieces for j in piece] == many  # every job once, in order
    assert {len(p) for p in pieces} == {2} and all(len({j.leaflet for j in p}) == 1 for p in pieces)
    assert all(len(p) == 1 for p in executors._pieces(many[:10], 2))  # few jobs: each its own piece


@pytest.mark.slow
def test_a_job_that_kills_its_worker_inside_a_piece_costs_only_itself(tmp_path):
    jobs = _jobs(tmp_path, [f"l{n}" for n in range(39)] + ["poison"])
    with executors.Pool(2, str(tmp_path)) as pool:
        done = {job.locale: results for job, results in pool.run(jobs, die_on_poison)}
    assert len(done) == 40 and done["poison"][0].state == "failed"
    assert all(done[f"l{n}"][0].data == f"l{n} text".encode() for n in range(39))


@pytest.fixture(scope="module")
def dask_scheduler():
    """One LocalCluster for this module's Dask tests, reached by address as `--scheduler` does."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0", silence_logs=50) as cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
def test_dask_runs_a_job_whose_worker_died_again_on_another(tmp_path, dask_scheduler):
    with executors.Dask(2, str(tmp_path), scheduler=dask_scheduler) as cluster:
        done = {job.locale: results for job, results in cluster.run(_jobs(tmp_path, ["a", "b"]), die_once)}
    assert done["a"][0].state == done["b"][0].state == "built" and done["a"][0].data == b"a text"


@pytest.mark.slow
def test_a_dask_localcluster_build_is_byte_identical_to_the_local_one(project_copy, tmp_path):
    project = Project(project_copy)
    codes = ["en", "ur"]  # Latin and Nastaliq; two jobs, so the local build uses its process pool
    outs = {}
    for executor in ("local", "dask"):
        out = tmp_path / executor
        summary = build(
            project,
            ["RAD_0009"],
            codes,
            ["text", "large-print"],
            request(project_copy, out),
            jobs=2,
            progress=quiet(),
            executor=executor,  # "dask": a LocalCluster of 2 workers, as `build --executor dask --jobs 2`
        )
        assert summary.line() == "4 built", summary.line()
        outs[executor] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.glob("*/*/*")}
    assert len(outs["local"]) == 4 and outs["local"] == outs["dask"]


# --- faults leave nothing behind ---------------------------------------------------------------


def _as_a_terminal_starts_it() -> None:
    """Ctrl-C handled as in a shell's foreground job, whatever this test process has done with it
    (an ignored or blocked SIGINT is inherited across exec)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _start(root: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    """pipeline.py as its own process group, so a signal to the group reaches its children too."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "pipeline.py"), "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_as_a_terminal_starts_it,
        env=env,
    )


def _speech_children(driver: subprocess.Popen, timeout: float = 120) -> list[psutil.Process]:
    """Wait until the build is synthesising speech; its whole process tree then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tree = psutil.Process(driver.pid).children(recursive=True)
        if any("engine.py" in _command(p) for p in tree):
            return tree
        assert driver.poll() is None, driver.communicate()
        time.sleep(0.05)
    raise AssertionError("no speech child was started")


def _command(process: psutil.Process) -> str:
    """A process's command line; "" for one that has ended (the speech child's forks come and go)."""
    try:
        return " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return ""


def _gone(processes: list[psutil.Process], timeout: float = 15) -> list[psutil.Process]:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return [p for p in alive if _status(p) not in (psutil.STATUS_ZOMBIE, "")]


def _status(process: psutil.Process) -> str:
    try:
        return process.status()
    except psutil.NoSuchProcess:
        return ""


@pytest.mark.slow
def test_kill_9_mid_audio_leaves_no_process_and_no_temporary_audio(project_copy, tmp_path):
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(system_tmp)}
    driver = _start(project_copy, "build", "--format", "audio", "--locale", "en", "--locale", "pl", env=env)
    tree = _speech_children(driver)
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait(timeout=10)
    assert _gone(tree) == [], "children outlived the build"
    assert not [p for p in (project_copy / "build/.tmp").rglob("*") if p.is_file()]  # workers removed theirs
    assert not list(system_tmp.iterdir())
    done = run_cli(project_copy, "build", "--format", "text", "--locale", "en", "--jobs", "1")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert not list((project_copy / "build/.tmp").rglob("*"))


@pytest.mark.slow
def test_ctrl_c_prints_one_line_and_no_traceback(english):
    driver = _start(english, "build", "--format", "audio", "--jobs", "2")
    tree = _speech_children(driver)
    os.killpg(driver.pid, signal.SIGINT)  # as a terminal does: to the whole process group
    _, err = driver.communicate(timeout=60)
    assert driver.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    said = [line for line in err.splitlines() if not line.startswith(("built ", "warning: "))]
    assert said == ["interrupted"], err
    assert _gone(tree) == []


@pytest.mark.parametrize("damage", ["[]", '{"format": 2, "artifacts": {"x": 1}}', "{oops"])
def test_a_damaged_build_state_is_discarded_with_one_warning_and_rebuilt(english, damage):
    assert run_cli(english, "build", "--format", "text", "--jobs", "1").returncode == 0
    (english / "build/.build-state.json").write_text(damage)
    done = run_cli(english, "build", "--format", "text", "--jobs", "1")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and ".build-state.json" in warnings[0] and "rebuilt" in warnings[0]
    assert "1 built" in done.stdout
    healed = run_cli(english, "build", "--format", "text", "--jobs", "1")
    assert "nothing to do" in healed.stdout and "warning" not in healed.stderr


@pytest.mark.parametrize("damage", ["null", '{"format": 1, "hashes": [], "rows": {}}'])
def test_a_damaged_status_cache_is_discarded_with_one_warning(project_copy, damage):
    before = run_cli(project_copy, "status", "--json")
    (project_copy / ".cache/status.json").write_text(damage)
    done = run_cli(project_copy, "status", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == json.loads(before.stdout)
    assert done.stderr.count("warning: ") == 1 and "status.json" in done.stderr


def test_status_with_unchanged_catalogs_reuses_its_rows_and_sees_a_change(project_copy):
    from conftest import editing

    first = json.loads(run_cli(project_copy, "status", "--json").stdout)
    cache = json.loads((project_copy / ".cache/status.json").read_text())
    assert len(cache["rows"]) == len(first) == 10
    po_file = project_copy / "locales/pl/LC_MESSAGES/RAD_0009.po"
    with editing(po_file) as po:
        po.find("Further information").msgstr = ""
    rows = {r["locale"]: r for r in json.loads(run_cli(project_copy, "status", "--json").stdout)}
    assert rows["pl"]["untranslated"] == 1 and rows["ro"]["untranslated"] == 0


def test_a_stray_locale_folder_is_reported_once_and_blocks_nothing(project_copy):
    (project_copy / "locales/PL/LC_MESSAGES").mkdir(parents=True)
    (project_copy / "locales/notes").mkdir()
    said = {}
    for command in (["list"], ["request", "vertebroplasty", "Polish", "text"], ["status"]):
        done = said[command[0]] = run_cli(project_copy, *command)
        assert done.returncode == 0, done.stderr
        assert done.stderr.count("warning: locales/") == 2, done.stderr  # each odd folder once
        assert "locales/PL: skipped: 'PL' is not a locale code" in done.stderr
        assert "locales/notes: skipped: it has no LC_MESSAGES" in done.stderr
    assert "  pl " in said["list"].stdout and "PL" not in said["list"].stdout
    done = run_cli(project_copy, "build", "--format", "text", "--locale", "pl", "--jobs", "1")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    index = (project_copy / "build/index.html").read_text()
    assert "RAD_0009-vertebroplasty.pl.txt" in index


def test_out_into_somebody_elses_folder_is_refused_and_nothing_is_touched(english, tmp_path):
    theirs = tmp_path / "Documents"
    theirs.mkdir()
    (theirs / "letter.txt").write_text("dear ...")
    (theirs / ".draft.tmp").write_text("unsaved work")
    before = tree_snapshot(theirs)
    done = run_cli(english, "build", "--format", "text", "--out", str(theirs))
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "holds other files" in done.stderr and "--out" not in done.stderr.split("(")[0]
    assert tree_snapshot(theirs) == before and sorted(p.name for p in theirs.iterdir()) == [".draft.tmp", "letter.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli(english, "build", "--format", "text", "--out", str(empty)).returncode == 0
    assert run_cli(english, "build", "--format", "text", "--out", str(empty)).returncode == 0  # its own now


def test_no_write_goes_through_a_link_out_of_the_output_folder(english, tmp_path):
    assert run_cli(english, "build", "--format", "text").returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(english / "build/RAD_0009")
    (english / "build/RAD_0009").symlink_to(elsewhere)
    done = run_cli(english, "build", "--format", "text")
    assert done.returncode == 1 and "symbolic link" in done.stderr and "Traceback" not in done.stderr
    assert not list(elsewhere.iterdir())


def test_a_missing_font_is_a_failure_with_the_fix(english, monkeypatch, tmp_path, capsys):
    from formats.pdf import fonts

    monkeypatch.setattr(fonts, "FONT_ROOT", tmp_path / "no-fonts")
    code = pipeline.main(["--root", str(english), "build", "--format", "large-print", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "failed: RAD_0009 en large-print" in err and "make debs" in err
    assert "unavailable" not in err and "Traceback" not in err


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_names_the_file_and_the_fix(project_copy, small_disk):
    done = run_cli(project_copy, "build", "--format", "text", "--jobs", "1", "--out", str(small_disk / "out"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    line = next(line for line in done.stderr.splitlines() if "no space left" in line)
    assert str(small_disk / "out") in line and "free some space" in line
    assert ": : " not in done.stderr


def test_why_not_is_structured_for_the_desk_and_the_manifest(project_copy):
    summary = build(Project(project_copy), ["RAD_0009"], ["so"], ["audio"], request(project_copy), progress=quiet())
    (outcome,) = summary.outcomes
    assert (outcome.state, outcome.kind) == ("unavailable", "no voice")
    (entry,) = json.loads((project_copy / "build/manifest.json").read_text())["not_built"]
    assert (entry["locale"], entry["state"], entry["kind"]) == ("so", "unavailable", "no voice")
    again = build(Project(project_copy), ["RAD_0009"], ["so"], ["audio"], request(project_copy), progress=quiet())
    assert (again.outcomes[0].state, again.outcomes[0].kind) == ("unavailable", "no voice")  # from the record
