"""The model summary's words: its presets, totals and measured figures (marked for translation, said in the
window's language where shown), and the texts made from its figures."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from ui.i18n import translate
from workbench.model.shape_rules import Shape, shape_text
from workbench.model.shapes import Inference

PRESETS: tuple[tuple[Shape, str], ...] = (
    ((1, 28, 28), QT_TRANSLATE_NOOP("ModelSummary", "1×28×28 — MNIST, Fashion-MNIST, KMNIST, digits")),
    ((3, 32, 32), QT_TRANSLATE_NOOP("ModelSummary", "3×32×32 — CIFAR-10")),
)
CUSTOM = QT_TRANSLATE_NOOP("ModelSummary", "Custom…")
TOTALS = (
    ("parameters", QT_TRANSLATE_NOOP("ModelSummary", "Parameters")),
    ("macs", QT_TRANSLATE_NOOP("ModelSummary", "Multiply-adds per image")),
    ("activations", QT_TRANSLATE_NOOP("ModelSummary", "Activation memory per image (forward)")),
    ("param_memory", QT_TRANSLATE_NOOP("ModelSummary", "Parameter memory")),
    ("output", QT_TRANSLATE_NOOP("ModelSummary", "Output")),
)
COST_FIGURES = (
    ("batch1", QT_TRANSLATE_NOOP("ModelSummary", "Latency, batch 1")),
    ("batch64", QT_TRANSLATE_NOOP("ModelSummary", "Latency, batch {batch}")),
    ("file", QT_TRANSLATE_NOOP("ModelSummary", "Model file")),
    ("memory", QT_TRANSLATE_NOOP("ModelSummary", "Parameters and buffers")),
)
SPINS = (  # the custom input's spin boxes: their names, letters, largest values
    ("Channels", "C", 64, QT_TRANSLATE_NOOP("ModelSummary", "Input channels")),
    ("Height", "H", 1024, QT_TRANSLATE_NOOP("ModelSummary", "Input height")),
    ("Width", "W", 1024, QT_TRANSLATE_NOOP("ModelSummary", "Input width")),
)
MEASURE_TIP = QT_TRANSLATE_NOOP(
    "ModelSummary",
    "Run this model (untrained weights) on random inputs here: latency per image at batch 1 and 64, the median of repeated runs after a warm-up, on the device and threads a training run would use; the size of its model file and the memory of its parameters",  # noqa: E501
)


def output_text(inference: Inference) -> str:
    if inference.error is not None:
        return translate("ModelSummary", "— (fix the error)")
    output = inference.output
    if len(output) == 1:
        if output[0] == 1:
            return translate("ModelSummary", "{count} class").format(count=1)
        return translate("ModelSummary", "{count} classes").format(count=f"{output[0]:,}")
    return shape_text(output)
