"""The Draw tab's texts that depend on what is shown (the model, the answer, the saliency), in the window's
language (context "DrawView"); `DrawView.retranslate` shows them again after a change of language."""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP

from ui import messages
from ui.i18n import translate
from workbench.events import ProbeUpdate
from workbench.insight.classify import Classifier

SALIENCY_MODES = (  # (text, translated where shown; the method)
    (QT_TRANSLATE_NOOP("DrawView", "Image only"), None),
    (QT_TRANSLATE_NOOP("DrawView", "Grad-CAM (last conv layer)"), "grad-cam"),
    (QT_TRANSLATE_NOOP("DrawView", "Input gradient"), "gradient"),
)


def model_text(classifier: Classifier | None) -> tuple[str, str]:
    """(rich text, tone: "" for none) of the line that says which model reads the drawing."""
    if classifier is None:
        return translate("DrawView", "No model to classify with: fix the model in the Build tab."), "error"
    if classifier.trained:
        return translate("DrawView", "Model: {description}").format(
            description=html.escape(messages.translated(classifier.description))
        ), ""
    note = translate(
        "DrawView", "<b>Model untrained (random weights): train it in the Train tab, or open a trained model.</b>"
    )
    return note, "warning"


def shape_text(shape) -> str:
    return translate("DrawView", "This model takes inputs of shape {shape}, not images").format(shape=tuple(shape))


def confidence_text(confidence: float, trained: bool) -> str:
    """'97.3% confident', with a warning for an untrained model."""
    if trained:
        return translate("DrawView", "{percent}% confident").format(percent=f"{confidence:.1f}")
    return translate("DrawView", "{percent}% confident (untrained: a guess)").format(percent=f"{confidence:.1f}")


def saliency_caption(name: str, clicked: bool) -> str:
    """Whose evidence the overlay shows: the predicted class's, or the one whose bar was clicked."""
    if clicked:
        return translate("DrawView", "Evidence for <b>{name}</b> · clicked").format(name=html.escape(name))
    return translate("DrawView", "Evidence for <b>{name}</b> · predicted").format(name=html.escape(name))


def saliency_note(event: ProbeUpdate) -> str:
    """Why there is no saliency map (the core's reason), in the window's language where it is known."""
    return html.escape(messages.translated(event.saliency_note))
