"""How a network learns: the training config and device choice, the trainer and its events, the
cooperative run control (pause, resume with changes, stop), the probe of a pinned image, evaluation,
the training process the app talks to, the classifier of drawings, and what explains a model: saliency of an
image, layer health, hard examples.

May import `files`, `data` and `model`; never `explore` or `cli`.
"""
