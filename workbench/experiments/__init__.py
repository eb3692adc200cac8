"""Experiments: many configurations of one model tried on Optuna. What varies (`space`: layer parameters and
training settings), a trial's values put in place and checked (`apply`), the study's stored plan (`plan`), where
studies live and how a dead worker's trial is found (`storage`), one trial's seeds as ordinary runs (`trial`), the
worker loop and its budget (`worker`), and what a study found (`report`).

May import `runs`, `training`, `insight`, `files`, `data` and `model`; never `cli`.
"""
