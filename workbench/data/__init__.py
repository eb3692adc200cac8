"""What a network learns from: datasets read from disk (IDX, CIFAR, image folders, the built-in digits)
into whole uint8 tensors with seeded splits and statistics, the fast batching path, and the MNIST
preprocessing of a drawing.

Imports nothing else of the workbench; `images` is its bottom, `datasets` its top.
"""
