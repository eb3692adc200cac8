"""The engine: how a network learns in one process. The training settings and device choice (`config`), the
trainer (`trainer`, its small pieces in `support`), cooperative run control (`control`: pause, resume with
changes, stop), evaluation of a split, the learning-rate range test, what a run leaves in its folder
(`run_folder`) and Teach (a fine-tune on the user's digits).

May import `insight`, `files`, `data`, `model` and `events`; never the processes that run it (`processes`,
`distributed`), `runs`, `explore` or `cli`.
"""
