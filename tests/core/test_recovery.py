"""Each window's recovery folder in the core, the lock's liveness injected: a window's own folder, a clean
close, the orphans a dead window leaves (listed newest first, taken under their lock, empty ones removed),
a checkpoint adopted or left for a later start, and the previous version's single autosave."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.core.test_remote import SPEC
from workbench.files.recovery import LOCK_FILE, RECOVERY_DIR, Autosave, find_orphans, new_folder


class Locks:
    """Lock files as a test sees them: those in `alive` are held by a live process; the rest can be taken,
    and a taken one is a file until it is unlocked, as QLockFile's is."""

    def __init__(self) -> None:
        self.alive: set[Path] = set()
        self.held: set[Path] = set()

    def __call__(self, path: Path):
        if path in self.alive or path in self.held or not path.parent.is_dir():
            return None
        path.write_text(str(os.getpid()))
        self.held.add(path)
        return _Lock(self, path)


class _Lock:
    def __init__(self, locks: Locks, path: Path) -> None:
        self.locks, self.path = locks, path

    def unlock(self) -> None:
        self.locks.held.discard(self.path)
        self.path.unlink(missing_ok=True)


def dead(locks: Locks, folder) -> Path:
    """`folder` as its killed window leaves it: a stale lock, taken by no one."""
    locks.held.discard(folder.folder / LOCK_FILE)
    return folder.folder


def aged(path: Path, seconds_ago: float) -> None:
    moment = time.time() - seconds_ago
    os.utime(path, (moment, moment))


def test_each_window_has_its_own_locked_folder_and_a_clean_close_removes_only_its_own(tmp_path):
    locks = Locks()
    first, second = new_folder(tmp_path, locks), new_folder(tmp_path, locks)
    assert first.folder != second.folder and first.folder.parent == tmp_path / RECOVERY_DIR
    assert first.checkpoint_path != second.checkpoint_path
    assert {first.folder / LOCK_FILE, second.folder / LOCK_FILE} == locks.held
    first.autosave.write(SPEC)
    second.autosave.write(SPEC)
    first.close()
    assert not first.folder.exists() and second.autosave.spec_path.is_file()
    assert find_orphans(tmp_path, locks) == ([], [])  # the other window lives: not touched


def test_a_clean_close_keeps_an_interrupted_runs_checkpoint_for_the_next_start(tmp_path):
    locks = Locks()
    folder = new_folder(tmp_path, locks)
    folder.autosave.write(SPEC)
    folder.checkpoint_path.write_bytes(b"run")
    folder.close()
    assert sorted(os.listdir(folder.folder)) == [folder.checkpoint_path.name] and not locks.held
    orphans, _ = find_orphans(tmp_path, locks)
    assert [o.folder for o in orphans] == [folder.folder] and orphans[0].recovered is None


def test_orphans_come_newest_first_under_their_lock_and_empty_ones_go(tmp_path):
    locks = Locks()
    live, empty, older, newer = (new_folder(tmp_path, locks) for _ in range(4))
    live.autosave.write(SPEC)
    locks.alive.add(live.folder / LOCK_FILE)
    older.autosave.write(SPEC.with_input((1, 20, 20)), tmp_path / "mine.json")
    aged(older.autosave.spec_path, 3600)
    newer.autosave.write(SPEC)
    newer.checkpoint_path.write_bytes(b"run")
    for folder in (empty, older, newer):
        dead(locks, folder)
    orphans, problems = find_orphans(tmp_path, locks)
    assert problems == [] and [o.folder for o in orphans] == [newer.folder, older.folder]
    assert orphans[1].recovered.spec.input == (1, 20, 20) and orphans[1].recovered.path == tmp_path / "mine.json"
    assert orphans[0].checkpoint_at is not None and orphans[1].checkpoint_at is None
    assert orphans[0].saved_at > orphans[1].saved_at
    assert not empty.folder.exists() and live.autosave.spec_path.is_file()
    assert find_orphans(tmp_path, locks) == ([], [])  # a second start at the same moment finds them taken
    for orphan in orphans:
        orphan.discard_autosave()
        orphan.release()
    assert not older.folder.exists()
    assert os.listdir(newer.folder) == ["last-run.checkpoint.cnnwb"]  # left for a later start, unlocked
    assert [o.folder for o in find_orphans(tmp_path, locks)[0]] == [newer.folder]


def test_an_adopted_checkpoint_moves_into_the_adopting_window_and_its_folder_goes(tmp_path):
    locks = Locks()
    crashed, mine = new_folder(tmp_path, locks), new_folder(tmp_path, locks)
    crashed.checkpoint_path.write_bytes(b"epoch 2 of 5")
    dead(locks, crashed)
    [orphan], _ = find_orphans(tmp_path, locks)
    orphan.adopt_checkpoint(mine.checkpoint_path)
    orphan.release()
    assert mine.checkpoint_path.read_bytes() == b"epoch 2 of 5" and not crashed.folder.exists()


def test_the_previous_versions_top_level_files_are_an_orphan_and_the_state_folder_stays(tmp_path):
    locks = Locks()
    Autosave(tmp_path).write(SPEC)
    (tmp_path / "last-run.checkpoint.cnnwb").write_bytes(b"old run")
    mine = new_folder(tmp_path, locks)
    [orphan], _ = find_orphans(tmp_path, locks)
    assert orphan.recovery.legacy and orphan.recovered.spec == SPEC and orphan.folder == tmp_path
    orphan.discard_autosave()
    orphan.adopt_checkpoint(mine.checkpoint_path)
    orphan.release()
    assert sorted(os.listdir(tmp_path)) == [RECOVERY_DIR] and mine.checkpoint_path.read_bytes() == b"old run"


def test_an_unreadable_folder_is_one_line_and_the_others_are_still_offered(tmp_path):
    locks = Locks()
    broken, good = new_folder(tmp_path, locks), new_folder(tmp_path, locks)
    broken.autosave.spec_path.mkdir()  # neither readable nor removable as a file
    good.autosave.write(SPEC)
    dead(locks, broken), dead(locks, good)
    orphans, problems = find_orphans(tmp_path, locks)
    assert [o.folder for o in orphans] == [good.folder]
    assert len(problems) == 1 and broken.folder.name in problems[0] and "\n" not in problems[0]
    assert broken.folder / LOCK_FILE not in locks.held  # its lock let go again
    assert find_orphans(tmp_path / "nothing-here", locks) == ([], [])


def test_a_folder_being_removed_by_another_start_gives_a_new_one(tmp_path):
    taken = []
    locks = Locks()

    def busy_once(path: Path):
        if not taken:
            taken.append(path)
            return None  # another start holds it: it saw the new folder empty
        return locks(path)

    folder = new_folder(tmp_path, busy_once)
    assert folder.folder != taken[0].parent and not taken[0].parent.exists()
