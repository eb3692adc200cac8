"""What a model does with an input, measured without training it: the probe of a pinned image through every
layer (`probe`), saliency (Grad-CAM, input gradient), layer health and its history, the classifier of
drawings (`classify`) and a confusion cell's hard examples. The trainer calls them; they never call it.

May import `files`, `data`, `model` and `events`.
"""
