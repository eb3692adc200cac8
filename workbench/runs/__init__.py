"""Every training run kept: a SQLite run store written as the run goes (`store`), the listener that
records a trainer's events into it (`recorder`), layer-by-layer architecture diffs (`diff`) and the
run's own files (`files`).

May import `training`, `explore`, `files`, `data` and `model`; never `cli`.
"""
