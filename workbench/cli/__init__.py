"""`python -m workbench`: the scriptable face of the core. `main` parses and dispatches, `train` and
`export` hold their commands, `common` what they share (one `error: …` line and status 2 for bad input).

The top room: it may import every other room of the core.
"""
