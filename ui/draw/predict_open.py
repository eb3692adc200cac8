"""How the Draw tab opens "Predict a folder…": with the model at hand and the dataset it was trained on."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.draw.predict_dialog import PredictFolderDialog
from ui.i18n import translate
from workbench.insight.classify import Classifier
from workbench.insight.predict import dataset_of


def dataset_at_hand(host) -> str:
    """The dataset the Draw tab's model was trained on, from the Train tab's session (as its `classifier()`
    chooses the model: the run's weights, else a model opened, else the one being built on the data at hand)."""
    session = getattr(host, "session", None)
    if session is None:
        return ""
    run = session.run
    if run is not None and run.model() is not None:
        return str(getattr(run.dataset, "name", ""))
    if session.saved is not None:
        return dataset_of(session.saved)
    return session.dataset.name if session.dataset is not None else ""


def open_predict_dialog(
    parent: QWidget, classifier: Classifier | None, host=None, choose: bool = True
) -> PredictFolderDialog | None:
    """The dialog for the Draw tab's model (None, with a message, when there is no model); `choose`: ask for the
    folder at once."""
    if classifier is None:
        QMessageBox.information(
            parent,
            translate("predict_dialog", "Predict a folder"),
            translate("predict_dialog", "There is no model to predict with: build one first."),
        )
        return None
    tasks = getattr(host, "tasks", None)
    dialog = PredictFolderDialog(classifier, dataset_at_hand(host), tasks, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    if choose:
        dialog.choose_folder()
    return dialog
