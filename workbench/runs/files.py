"""A run's files: the folder the app keeps a run's model in, and deleting a run's model and checkpoint (or a
study's runs and theirs)."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbench.runs.store import RunStore, RunSummary

MODEL_FILE = "model.cnnwb"


def run_folder(store: RunStore, run_id: int) -> Path:
    """The run's own folder inside the store (created)."""
    folder = store.folder / str(run_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def delete_files(store: RunStore, summary: RunSummary) -> list[Path]:
    """Delete the run's model and checkpoint files (and its folder in the store); the paths removed.
    Files another run also points at are left alone."""
    removed = []
    for name in (summary.model_path, summary.checkpoint_path):
        if not name:
            continue
        path = Path(name)
        if store.shared_by_others(summary.id, str(path)):
            continue
        if path.is_file():
            path.unlink()
            removed.append(path)
    folder = store.folder / str(summary.id)
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def delete_study(store: RunStore, name: str, *, keep_files: bool = False) -> tuple[list[RunSummary], list[Path]]:
    """Forget the study's runs and delete their files as `delete_files` does; the runs forgotten and the paths
    removed. The runs go first, so a file only the study's runs shared is deleted, one another run keeps is not."""
    gone = store.delete_study(name)
    removed = [] if keep_files else [path for run in gone for path in delete_files(store, run)]
    return gone, removed
