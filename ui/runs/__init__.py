"""The Runs tab: the run store's table, several runs' curves overlaid, and architecture diffs."""
