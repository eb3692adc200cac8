"""The Draw tab: draw a digit and see the model read it, as you draw, even while it trains.

Each change of the ink is classified at once on the GUI thread (a forward pass of one small image
takes a millisecond or two); several changes within one pass of the event loop are classified once.
The model comes from the dashboard's `classifier()`: a copy of the weights of the run in progress
(refreshed a few times a second), a model opened from a file, or the model being built, untrained.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui import i18n, theme
from ui.draw import draw_texts
from ui.draw.canvas import DrawCanvas
from ui.draw.predict_open import open_predict_dialog
from ui.draw.teach_panel import TeachPanel
from ui.i18n import translate
from ui.plots.feature_maps import FeatureMapView
from ui.plots.saliency_overlay import blended, to_qimage
from ui.plots.softmax_chart import SoftmaxChart
from ui.widgets import named_button, set_names
from workbench.data.drawing import preprocess
from workbench.events import ProbeUpdate
from workbench.insight.classify import Classifier
from workbench.insight.saliency import Saliency, class_to_explain

PREVIEW_SCALE = 5


class DrawView(QWidget):
    probe_chosen = Signal(object)  # (C, H, W) float32 image in [0, 1]: "Use as probe"
    status_message = Signal(str)

    def __init__(self, classifier_source, parent: QWidget | None = None, *, host=None) -> None:
        """`classifier_source()` returns the Classifier to use now (or None when there is no model); `host`
        (the Train tab's dashboard) gives "Correct and teach" the trained model and its data."""
        super().__init__(parent)
        self.setObjectName("drawView")
        self._source = classifier_source
        self._host = host
        self.classifier: Classifier | None = None
        self._stale_model = True
        self.last_image: np.ndarray | None = None  # what the model saw last
        self.last_event: ProbeUpdate | None = None
        self.classifications = 0
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.classify)
        self._build(host)
        i18n.follow(self, DrawView.retranslate)

    def retranslate(self) -> None:
        """The texts that depend on what is shown, again in the window's language (the others follow it alone)."""
        self.pen_slider.setAccessibleName(translate("DrawView", "Pen width"))
        self.pen_slider.setToolTip(translate("DrawView", "Pen width (MNIST's strokes are about 7–9% of the side)"))
        self.paper_check.setText(translate("DrawView", "Black ink on white"))
        self.paper_check.setToolTip(
            translate("DrawView", "Only how the canvas looks: the model always gets light ink on dark, as in MNIST")
        )
        for index, (text, _method) in enumerate(draw_texts.SALIENCY_MODES):
            self.saliency_mode.setItemText(index, translate("DrawView", text))
        if not self._stale_model:
            self._show_model()
        self._show_answer()
        if self.last_event is not None and self.last_saliency is not None:
            self._show_saliency_caption()

    # ----- layout ---------------------------------------------------------------------------------------

    def _build(self, host) -> None:
        self._build_drawing()
        self._build_answer()
        self._build_seen()
        self._build_panels(host)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._left_column())
        splitter.addWidget(self._right_column())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 800])
        QVBoxLayout(self).addWidget(splitter)

    def _build_drawing(self) -> None:
        """The canvas and what draws on it: its buttons, the pen width, the paper."""
        self.canvas = DrawCanvas()
        self.canvas.changed.connect(self._pending.start)
        self.canvas.stroke_finished.connect(self._on_stroke_finished)
        self.clear_button = named_button(
            lambda: translate("DrawView", "Clear"),
            "clearCanvasButton",
            self._on_clear,
            lambda: translate("DrawView", "Erase the drawing"),
        )
        self.undo_button = named_button(
            lambda: translate("DrawView", "Undo stroke"),
            "undoStrokeButton",
            self.canvas.undo_stroke,
            lambda: translate("DrawView", "Backspace"),
        )
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setObjectName("penWidthSlider")
        self.pen_slider.setRange(2, 16)  # percent of the canvas side
        self.pen_slider.setValue(round(self.canvas.pen_width * 100))
        self.pen_slider.valueChanged.connect(lambda value: self.canvas.set_pen_width(value / 100))
        self.paper_check = QCheckBox()
        self.paper_check.setObjectName("paperWhiteCheck")
        self.paper_check.toggled.connect(self.canvas.set_paper_white)
        self.probe_button = named_button(
            lambda: translate("DrawView", "Use as probe"),
            "useAsProbeButton",
            self._on_use_as_probe,
            lambda: translate("DrawView", "Follow this drawing through every layer in the Train tab"),
        )
        self.save_button = named_button(
            lambda: translate("DrawView", "Save PNG…"),
            "saveDrawingButton",
            self._on_save,
            lambda: translate("DrawView", "Save the drawing as a PNG"),
        )
        self.load_button = named_button(
            lambda: translate("DrawView", "Load image…"),
            "loadImageButton",
            self._on_load,
            lambda: translate("DrawView", "Classify a picture file"),
        )
        self.predict_button = named_button(
            lambda: translate("DrawView", "Predict a folder…"),
            "predictFolderButton",
            self._on_predict_folder,
            lambda: translate("DrawView", "Predict every picture in a folder"),
        )

    def _build_answer(self) -> None:
        """What the model says: the predicted class, how sure it is, which model it is."""
        self.prediction_label = QLabel("–")
        self.prediction_label.setTextFormat(Qt.TextFormat.PlainText)  # a class name, shown as it is named
        set_names(
            self.prediction_label,
            "predictionLabel",
            lambda: translate("DrawView", "The class the model predicts for the drawing"),
        )
        font = QFont(self.prediction_label.font())
        font.setPointSize(44)
        font.setBold(True)
        self.prediction_label.setFont(font)
        self.prediction_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prediction_label.setMinimumWidth(90)
        self.confidence_label = i18n.keep(QLabel(), "setText", lambda: translate("DrawView", "Draw a digit"))
        self.confidence_label.setObjectName("confidenceLabel")
        self.confidence_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.model_label = QLabel("")
        self.model_label.setObjectName("drawModelLabel")
        self.model_label.setWordWrap(True)

    def _build_seen(self) -> None:
        """The image the model sees, and what to lay over it."""
        self.preview = QLabel()
        set_names(
            self.preview,
            "canvasInputPreview",
            lambda: translate("DrawView", "The image the model sees: the drawing after MNIST's preprocessing"),
        )
        i18n.keep(
            self.preview,
            "setToolTip",
            lambda: translate(
                "DrawView",
                "What the model sees: cropped to the ink, scaled into 20×20 keeping the aspect ratio, "
                "centred by its centre of mass in 28×28",
            ),
        )
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid #9e9e9e; background: black;")
        self.preview.setFixedSize(28 * PREVIEW_SCALE + 2, 28 * PREVIEW_SCALE + 2)
        self.saliency_mode = QComboBox()
        set_names(
            self.saliency_mode,
            "saliencyMode",
            lambda: translate("DrawView", "What to lay over the image the model sees"),
        )
        i18n.keep(self.saliency_mode, "setAccessibleName", lambda: translate("DrawView", "Overlay"))
        for text, key in draw_texts.SALIENCY_MODES:
            self.saliency_mode.addItem(text, key)
        i18n.keep(
            self.saliency_mode,
            "setToolTip",
            lambda: translate(
                "DrawView",
                "Grad-CAM: where in the last conv layer's maps the evidence for the class is. Input gradient: "
                "which pixels would change the class's score most. Click a bar to explain another class.",
            ),
        )
        self.saliency_mode.currentIndexChanged.connect(self._on_saliency_changed)
        self.saliency_label = QLabel("")
        self.saliency_label.setObjectName("saliencyLabel")
        i18n.keep(
            self.saliency_label,
            "setToolTip",
            lambda: translate(
                "DrawView", "Click a bar of the chart to explain that class; the predicted bar goes back"
            ),
        )
        self.explained_class: int | None = None  # None: the predicted class
        self.last_saliency: Saliency | None = None

    def _build_panels(self, host) -> None:
        """The softmax chart, the feature maps and, beside the Train tab, "Correct and teach"."""
        self.softmax = SoftmaxChart()
        set_names(
            self.softmax,
            "drawSoftmaxChart",
            lambda: translate("DrawView", "Softmax probabilities of the drawing, one bar per class"),
        )
        self.softmax.class_clicked.connect(self.explain_class)
        self.feature_maps = FeatureMapView()
        set_names(
            self.feature_maps,
            "drawFeatureMaps",
            lambda: translate("DrawView", "Feature maps of the drawing at one layer"),
        )
        i18n.keep(
            self.feature_maps.placeholder,
            "setText",
            lambda: translate("DrawView", "Draw a digit to see what each layer makes of it"),
        )
        self.teach: TeachPanel | None = None
        if host is not None:
            self.teach = TeachPanel(host, lambda: self.last_image)
            self.teach.status_message.connect(self.status_message)
            self.teach.filed.connect(self.canvas.clear)

    def _left_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QGridLayout()
        for index, button in enumerate(
            (
                self.undo_button,
                self.clear_button,
                self.probe_button,
                self.load_button,
                self.predict_button,
                self.save_button,
            )
        ):
            buttons.addWidget(button, index // 3, index % 3)
        layout.addLayout(buttons)
        pen_row = QHBoxLayout()
        pen_row.addWidget(i18n.keep(QLabel(), "setText", lambda: translate("DrawView", "Pen")))
        pen_row.addWidget(self.pen_slider, 1)
        pen_row.addWidget(self.paper_check)
        layout.addLayout(pen_row)
        layout.addWidget(self.canvas, 1)  # under its controls; the square sits at the top of the space
        return column

    def _right_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        answer = QVBoxLayout()
        answer.addWidget(self.prediction_label)
        answer.addWidget(self.confidence_label)
        top.addLayout(answer, 1)
        seen = QVBoxLayout()
        sees = i18n.keep(QLabel(), "setText", lambda: translate("DrawView", "The model sees"))
        seen.addWidget(sees, 0, Qt.AlignmentFlag.AlignHCenter)
        seen.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        seen.addWidget(self.saliency_mode, 0, Qt.AlignmentFlag.AlignHCenter)
        seen.addWidget(self.saliency_label, 0, Qt.AlignmentFlag.AlignHCenter)
        top.addLayout(seen)
        layout.addLayout(top)
        layout.addWidget(self.model_label)
        if self.teach is not None:
            layout.addWidget(self.teach)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.softmax)
        split.addWidget(self.feature_maps)
        layout.addWidget(split, 1)
        return column

    # ----- the model --------------------------------------------------------------------------------------

    def model_changed(self) -> None:
        """New weights (a training update, a run's end, an opened model): re-read the drawing with them
        now if the tab is on screen, else when it is shown."""
        self._stale_model = True
        if self.isVisible():
            self._pending.start()
        if self.teach is not None:
            self.teach.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._pending.start()

    def _refresh_model(self) -> None:
        self.classifier = self._source()
        self._stale_model = False
        classifier = self.classifier
        self._show_model()
        if classifier is None:
            return
        self.softmax.set_classes(classifier.class_names)
        if self.teach is not None:
            self.teach.set_classes(classifier.class_names)

    def _show_model(self) -> None:
        text, tone = draw_texts.model_text(self.classifier)
        if tone:
            theme.set_toned_text(self.model_label, text, tone)
        else:
            self.model_label.setText(text)

    # ----- classifying ----------------------------------------------------------------------------------

    def classify(self) -> None:
        """Preprocess the ink as MNIST was, run the model, show the answer, bars, maps and preview."""
        self._pending.stop()
        if self._stale_model:
            self._refresh_model()
        classifier = self.classifier
        if classifier is None:
            return
        shape = classifier.input_shape
        if len(shape) != 3:
            self._show_answer()
            return
        if self.canvas.is_empty():
            self._show_empty()
            return
        channels, height, width = shape
        image = preprocess(self.canvas.ink(), height, width, channels)
        event = classifier.probe(image, explain=self._explain())
        self.last_image, self.last_event = image, event
        self.classifications += 1
        self._show_prediction(classifier, event)
        self._show_preview(image, event)
        self.softmax.show_probe(event)
        self.softmax.refresher.flush()  # the answer now, not at the next panel refresh
        if not self.canvas.drawing:  # the maps follow at the end of the stroke: redrawing them takes longer
            self.feature_maps.show_probe(event)

    def _on_stroke_finished(self) -> None:
        if self.last_event is not None:
            self.feature_maps.show_probe(self.last_event)

    def _show_prediction(self, classifier: Classifier, event: ProbeUpdate) -> None:
        best = int(np.argmax(event.probabilities))
        self.prediction_label.setText(classifier.class_name(best))
        confidence = 100 * float(event.probabilities[best])
        self.confidence_label.setText(draw_texts.confidence_text(confidence, classifier.trained))

    def _show_answer(self) -> None:
        """How sure the model is of the drawing (or why it cannot say), in the window's language."""
        classifier, event = self.classifier, self.last_event
        if classifier is not None and len(classifier.input_shape) != 3:
            self.confidence_label.setText(draw_texts.shape_text(classifier.input_shape))
        elif classifier is None or event is None:
            self.confidence_label.setText(translate("DrawView", "Draw a digit"))
        else:
            self._show_prediction(classifier, event)

    def _show_preview(self, image: np.ndarray, event: ProbeUpdate) -> None:
        heat = self._saliency(event)
        qimage = to_qimage(blended(image, heat))
        height, width = image.shape[-2:]
        scale = max(1, min(PREVIEW_SCALE * 28 // max(height, width), 10))
        self.preview.setPixmap(QPixmap.fromImage(qimage).scaled(width * scale, height * scale))

    def _explain(self) -> tuple[str, int | None] | None:
        method = self.saliency_mode.currentData()
        return None if method is None else (method, self.explained_class)

    def _saliency(self, event: ProbeUpdate) -> np.ndarray | None:
        """The event's saliency map (the chosen method, for the explained class), or None (the reason shown)."""
        classifier = self.classifier
        self.last_saliency = None
        if self._explain() is None or classifier is None:
            self.saliency_label.setText("")
            return None
        found = event.saliency
        if found is None:
            theme.set_toned_text(self.saliency_label, draw_texts.saliency_note(event), "warning")
            return None
        self.last_saliency = found
        self._show_saliency_caption()
        return found.map

    def _show_saliency_caption(self) -> None:
        name = self.classifier.class_name(self.last_saliency.target)
        self.saliency_label.setText(draw_texts.saliency_caption(name, self.explained_class is not None))

    def explain_class(self, index: int) -> None:
        """Explain class `index` (the predicted one again when it is clicked)."""
        self.explained_class = class_to_explain(index, self.last_event and self.last_event.probabilities)
        self._explain_again()

    def _on_saliency_changed(self) -> None:
        self._explain_again()

    def _explain_again(self) -> None:
        """The drawing read again with the new saliency choice (the bars and maps stay: the image did not change)."""
        if self.last_image is not None and self.classifier is not None:
            self.last_event = self.classifier.probe(self.last_image, explain=self._explain())
            self._show_preview(self.last_image, self.last_event)

    def _show_empty(self) -> None:
        self.last_image = self.last_event = self.last_saliency = None
        self.explained_class = None
        self.saliency_label.setText("")
        self.prediction_label.setText("–")
        self.confidence_label.setText(translate("DrawView", "Draw a digit"))
        self.preview.clear()
        self.softmax.reset()
        self.feature_maps.reset()

    # ----- buttons --------------------------------------------------------------------------------------

    def _on_clear(self) -> None:
        self.canvas.clear()

    def _on_use_as_probe(self) -> None:
        if self.last_image is None:
            self.status_message.emit(translate("DrawView", "Draw something first: the drawing becomes the probe"))
            return
        self.probe_chosen.emit(self.last_image.copy())
        self.status_message.emit(
            translate("DrawView", "Your drawing is now the probe: the Train tab's feature maps and bars follow it")
        )

    def _on_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, translate("DrawView", "Save drawing"), "drawing.png", translate("DrawView", "PNG image (*.png)")
        )
        if not path:
            return
        try:
            self.canvas.save_png(path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                translate("DrawView", "Cannot save the drawing"),
                translate("DrawView", "{path}: {reason}. Choose another folder.").format(
                    path=path, reason=exc.strerror or exc
                ),
            )
            return
        self.status_message.emit(translate("DrawView", "Saved the drawing to {path}").format(path=path))

    def _on_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("DrawView", "Classify an image"),
            "",
            translate("DrawView", "Images (*.png *.jpg *.jpeg *.bmp *.gif *.pgm);;All files (*)"),
        )
        if path:
            self.load_image(Path(path))

    def _on_predict_folder(self) -> None:
        self.predict_dialog = open_predict_dialog(self, self._source(), self._host)

    def load_image(self, path: Path) -> bool:
        try:
            self.canvas.load_image(path)
        except ValueError as exc:
            QMessageBox.warning(self, translate("DrawView", "Cannot open the image"), str(exc))
            return False
        self.status_message.emit(translate("DrawView", "Classifying {file}").format(file=path.name))
        return True
