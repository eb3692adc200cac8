"""The training side of the app: the worker thread that drives the core, and the dashboard."""
