"""CNN Workbench core: everything but the window, in rooms that follow the data flow.

    model/     what a network is: layer catalog, specs, shape inference, building, templates, edits
    data/      what it learns from: datasets as uint8 tensors, readers, drawings made MNIST-like
    files/     what is kept: the safe archive, model files, autosave, exports (logits, code, ONNX)
    training/  how it learns: config, trainer, events, run control, probe, evaluation, its own process
    explore/   the Learn tab's maths: convolution, pooling, activations and softmax on real numbers
    cli/       `python -m workbench`
    text.py    names from outside (files, folders, JSON) made printable where they enter; used by all rooms
    system.py  whether a process lives, a file replaced atomically; used by files, runs and the app

Each room imports only the rooms below it (cli > training, explore > files > data, model), and the
core never imports Qt or pyqtgraph; the app in `ui/` drives it. The import-linter contracts in
pyproject.toml check both.
"""

__version__ = "0.1.0"
