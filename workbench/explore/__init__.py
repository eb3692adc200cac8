"""The Learn tab's maths: convolution and pooling worked window by window, activation curves, and
softmax with cross-entropy, every number computed by torch and checked against it.

May import `model` only.
"""
