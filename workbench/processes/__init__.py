"""The app's child processes and the pipes to them: a training run (`remote`), a run across processes launched
for the window (`remote_ranks`, whose rank 0 relays through `rank_job`), Teach's fine-tune
(`teach_process`), and their lower priority (`priority`). Each is one `child.ChildProcess` (forked from a
fork server, or spawned; the two pipes, sending, receiving, a lost process in words); what crosses the pipes
is the dataclasses of `messages`, dispatched by type, and plain data.

May import `distributed`, `training`, `insight`, `files`, `data`, `model` and `events`.
"""
