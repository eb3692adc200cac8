"""CNN Workbench core: layer catalog, model specs, shape inference, building, training, persistence.

This package never imports Qt; the app in `ui/` drives it.
"""

__version__ = "0.1.0"
