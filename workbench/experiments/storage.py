"""Where studies live: Optuna's RDB storage, an SQLite file in the per-user studies folder by default, or a
PostgreSQL URL shared by several machines. Each worker beats a heartbeat while it runs a trial; a trial whose
worker stopped beating (killed, its machine gone) is failed by the next worker that starts a trial, and a copy
is queued to be tried again (at most `MAX_RETRIES` times)."""

from __future__ import annotations

import contextlib
import os
import warnings
from pathlib import Path

import optuna
import sqlalchemy
from optuna.storages import RDBStorage, RetryHeartbeatStaleTrialCallback

from workbench.data.location import default_data_dir
from workbench.experiments.plan import StudyError, StudyPlan, check_study_name
from workbench.text import one_line

__all__ = [
    "DEFAULT_HEARTBEAT",
    "ENV_HEARTBEAT",
    "ENV_STUDIES_DIR",
    "MAX_RETRIES",
    "create_or_resume",
    "default_storage",
    "delete_study",
    "load_study",
    "open_storage",
    "quietly",
    "shown_url",
    "studies_dir",
]

ENV_STUDIES_DIR = "WORKBENCH_STUDIES_DIR"
ENV_HEARTBEAT = "WORKBENCH_SWEEP_HEARTBEAT"  # seconds between a worker's heartbeats (tests use 1)
DEFAULT_HEARTBEAT = 10
GRACE_BEATS = 3  # a trial is stale after this many missed heartbeats
MAX_RETRIES = 2
SCHEMES = ("sqlite", "postgresql")

optuna.logging.set_verbosity(optuna.logging.WARNING)


@contextlib.contextmanager
def quietly():
    """Optuna's heartbeats and retries are marked experimental (since v2.8); they are what a shared study needs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        yield


def studies_dir() -> Path:
    """$WORKBENCH_STUDIES_DIR, else `studies` beside the per-user data folder: the default storage and every
    study's trial folders (their models: the best trials' only)."""
    chosen = os.environ.get(ENV_STUDIES_DIR)
    return Path(chosen).expanduser() if chosen else default_data_dir().parent / "studies"


def default_storage() -> str:
    return f"sqlite:///{studies_dir() / 'studies.db'}"


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sqlalchemy.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the storage URL"


def heartbeat_seconds() -> int:
    text = os.environ.get(ENV_HEARTBEAT, "")
    return int(text) if text.isdigit() and 0 < int(text) <= 3600 else DEFAULT_HEARTBEAT


def open_storage(url: str | None = None, heartbeat: int | None = None) -> RDBStorage:
    """The storage at `url` (default: the SQLite file), with heartbeats every `heartbeat` seconds; one line when
    it cannot be used (a wrong URL, a server that does not answer, a file that is not a study database)."""
    url = url or default_storage()
    scheme = _scheme(url)
    if scheme == "sqlite":
        _sqlite_folder(url)
        engine = {"connect_args": {"timeout": 60}}
    else:
        engine = {"connect_args": {"connect_timeout": 10}, "pool_pre_ping": True}
    beat = heartbeat or heartbeat_seconds()
    try:
        with quietly():
            return RDBStorage(
                url,
                engine_kwargs=engine,
                heartbeat_interval=beat,
                grace_period=GRACE_BEATS * beat,
                heartbeat_stale_trial_callback=RetryHeartbeatStaleTrialCallback(max_retry=MAX_RETRIES),
            )
    except (sqlalchemy.exc.SQLAlchemyError, ImportError, ValueError, RuntimeError) as exc:
        raise StudyError(f"cannot use the study storage {shown_url(url)}: {_reason(exc)}{_hint(scheme)}") from None


def _scheme(url: str) -> str:
    try:
        backend = sqlalchemy.engine.make_url(url).get_backend_name()
    except Exception:
        backend = ""
    if backend not in SCHEMES:
        raise StudyError(
            f"{shown_url(url)} is not a study storage URL; give sqlite:///FILE or postgresql://USER@HOST:PORT/DB"
        )
    return backend


def _sqlite_folder(url: str) -> None:
    database = sqlalchemy.engine.make_url(url).database
    if database and database != ":memory:":
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudyError(f"cannot make the folder for {database}: {exc.strerror or exc}") from None


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return one_line(str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__, 240)


def _hint(scheme: str) -> str:
    if scheme == "postgresql":
        return "; check that the server is running and reachable, and the user, password and database in the URL"
    return "; give another file (--storage sqlite:///FILE), or move this one aside"


def load_study(storage: RDBStorage, name: str, **options) -> tuple[optuna.Study, StudyPlan]:
    check_study_name(name)
    try:
        study = optuna.load_study(study_name=name, storage=storage, **options)
    except KeyError:
        raise StudyError(f"there is no study {name!r} in {shown_url(storage.url)}; `sweep show` lists them") from None
    return study, StudyPlan.from_attrs(study.user_attrs, name)


def create_or_resume(storage: RDBStorage, name: str, plan: StudyPlan) -> tuple[optuna.Study, bool]:
    """A new study with `plan`, or the stopped one of that name to go on with (True) when it has the same plan
    but for the budget (the new budget replaces the old)."""
    check_study_name(name)
    try:
        study = optuna.create_study(study_name=name, storage=storage, direction="maximize")
        study.set_user_attr("plan", plan.to_attrs())
        return study, False
    except optuna.exceptions.DuplicatedStudyError:
        pass
    study, old = load_study(storage, name)
    if old.with_budget(plan.trials, plan.minutes) != plan:
        raise StudyError(
            f"study {name!r} exists with another model, space or settings; give another --study name, "
            f"or `sweep delete {name}` first"
        )
    if old != plan:
        study.set_user_attr("plan", plan.to_attrs())
    return study, True


def delete_study(storage: RDBStorage, name: str) -> None:
    check_study_name(name)
    try:
        optuna.delete_study(study_name=name, storage=storage)
    except KeyError:
        raise StudyError(f"there is no study {name!r} in {shown_url(storage.url)}") from None


def study_names(storage: RDBStorage) -> list[str]:
    return [summary.study_name for summary in optuna.get_all_study_summaries(storage, include_best_trial=False)]
