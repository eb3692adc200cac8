"""Live plots for the training dashboard (pyqtgraph)."""
