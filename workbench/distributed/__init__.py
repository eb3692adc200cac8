"""One run across several processes with PyTorch's own engine: a trainer that is one rank of a DDP run
(`ranks`) and torchrun's launcher with one line for a failed rank (`launch`).

May import `training`, `insight`, `files`, `data`, `model` and `events`; never `processes` (the app's
child processes use this room, not the other way round).
"""
