"""The convolution explorer's real numbers: the first conv layer of the model the app has now, and the
Train tab's probe image as that model reads it.

Both come from callables the window passes in (the dashboard's `classifier()` and its probe), read
again whenever the model changes or the explorer is shown, so a run in progress shows its filters
as they learn. Without them (the explorer on its own) both choices are off, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP

from ui import messages
from ui.i18n import translate
from workbench.explore.trained import ModelConv, first_conv, normalised
from workbench.explore.windows import Problem, number
from workbench.insight.classify import Classifier

# The choices' keys (their names in the window's language: learn_texts.name)
TRAINED = "Model: first conv layer"
PROBE = "Probe image"
NO_PROBE = QT_TRANSLATE_NOOP(
    "RealSources", "No probe image yet: load a dataset on the Train tab (or pin a drawing from the Draw tab)"
)

ClassifierSource = Callable[[], Classifier | None]
ProbeSource = Callable[[], tuple[Any, int | None] | None]  # (image (C, H, W), label), as the dashboard keeps it


class RealSources:
    """What the model and probe callables gave at the last `reload`, and why either cannot be used."""

    def __init__(self, classifier_source: ClassifierSource | None, probe_source: ProbeSource | None, channels: int):
        self._classifier_source, self._probe_source = classifier_source, probe_source
        self.max_channels = channels
        self.classifier: Classifier | None = None
        self.conv: ModelConv | Problem = Problem("No model here: open the explorer in the app's Learn tab")
        self.image: np.ndarray | None = None  # the probe, normalised (C, H, W) float64
        self.label: int | None = None

    def reload(self) -> None:
        self.classifier = self._classifier_source() if self._classifier_source else None
        self.conv = first_conv(self.classifier.model if self.classifier else None)
        probe = self._probe_source() if self._probe_source else None
        self.image, self.label = None, None
        if probe is not None:
            mean, std = (self.classifier.mean, self.classifier.std) if self.classifier else ((), ())
            self.image, self.label = normalised(probe[0], mean, std), probe[1]

    # ----- availability ---------------------------------------------------------------------------------

    def conv_unavailable(self) -> str | None:
        """Why the model's filters cannot be shown, and what to do (in the window's language); None when they can."""
        if isinstance(self.conv, Problem):
            return translate("RealSources", "{problem}.").format(problem=messages.translated(self.conv.message))
        if self.conv.channels_per_filter > self.max_channels:
            text = translate(
                "RealSources", "The filters of {where} read {count} channels each; this explorer shows at most {most}."
            )
            where = messages.translated(self.conv.where)
            return text.format(where=where, count=self.conv.channels_per_filter, most=self.max_channels)
        return None

    def probe_unavailable(self) -> str | None:
        if self.image is None:
            return translate("RealSources", "{problem}.").format(problem=translate("RealSources", NO_PROBE))
        if self.image.shape[0] > self.max_channels:
            text = translate("RealSources", "The probe has {count} channels; this explorer shows at most {most}.")
            return text.format(count=self.image.shape[0], most=self.max_channels)
        return None

    # ----- numbers and words -----------------------------------------------------------------------------

    def layer_input(self, conv: ModelConv | None, index: int) -> np.ndarray | Problem:
        """The probe as filter `index` of `conv` reads it (through the layers before it), or the
        normalised probe itself when no layer is chosen."""
        if conv is None:
            return self.image
        values = conv.layer_input(self.image)
        return values if isinstance(values, Problem) else values[conv.channels(index)]

    def kernel_note(self, conv: ModelConv, index: int) -> str:
        """E.g. "Kernel: filter 3 of 16 of layer 1 Conv2d (training now, step 1,200), bias 0.05; its size,
        stride, …"."""
        if conv.has_bias:
            bias = translate("RealSources", "bias {value}").format(value=number(conv.bias[index]))
        else:
            bias = translate("RealSources", "no bias")
        filter_text = translate("RealSources", "filter {number} of {count} of {where}")
        filter_text = filter_text.format(number=index + 1, count=conv.filters, where=messages.translated(conv.where))
        text = translate(
            "RealSources",
            "Kernel: {filter} ({model}), {bias}; kernel_size, stride, padding, dilation and padding_mode are the "
            "layer's own.",
        )
        text = text.format(filter=filter_text, model=messages.translated(self.classifier.description), bias=bias)
        if not self.classifier.trained:
            text += translate(
                "RealSources",
                " Its weights are still the random ones it starts with: train the model to see what it learns.",
            )
        return text

    def input_note(self, conv: ModelConv | None) -> str:
        """Where the input comes from and how it was normalised."""
        if self.label is not None:
            name = self.classifier.class_name(self.label) if self.classifier else str(self.label)
            text = translate("RealSources", "Input: the Train tab's probe image (a {name})").format(name=name)
        else:
            text = translate("RealSources", "Input: the Train tab's probe image")
        if self.classifier is not None:
            mean, std = ", ".join(map(number, self.classifier.mean)), ", ".join(map(number, self.classifier.std))
            text += translate("RealSources", ", normalised as the model reads it: (x − {mean}) / {std}").format(
                mean=mean, std=std
            )
        else:
            text += translate("RealSources", ", from 0 to 1 (no model to normalise it for)")
        before = [type(layer).__name__ for layer in conv.lead_in] if conv is not None else []
        if before:
            text += translate("RealSources", ", then through {layers} (the layers before {where})").format(
                layers=", ".join(before), where=messages.translated(conv.where)
            )
        return text + translate("RealSources", ".")
