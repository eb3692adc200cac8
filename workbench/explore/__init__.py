"""The Learn tab's maths: convolution and pooling worked window by window, activation curves, and
softmax with cross-entropy, every number computed by torch and checked against it; the depth lesson
(`depth.py`: a 20-layer network with and without residual connections, trained side by side).

May import `model` only.
"""
