"""What is kept on disk: the safe zip-of-JSON-and-npy archive (never unpickles), model files and
checkpoints, the autosaved spec, and the exports (logits as CSV/NPY, standalone PyTorch code, ONNX).

May import `model` and `data`; never `training`, `explore` or `cli`.
"""
