"""The convolution explorer: an input, a kernel, and the output computed window by window.

Each input channel's padded grid sits above its kernel; the output map is on the right. The step
slider (or a click on an output cell) moves the window; the worked sum lists every product.

The input is a small example or the Train tab's probe image, the kernel a hand-made filter or one
of the model's own first-layer filters, whose size, stride, padding and dilation then follow that
layer (`conv_sources.py`). The probe is too big for a number in every cell: it shows as shaded
squares, and the numbers under the window sit beside the kernel, since those are what it multiplies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from ui import i18n
from ui.i18n import translate
from ui.learn import learn_texts
from ui.learn.conv_sources import PROBE, TRAINED, ClassifierSource, ProbeSource, RealSources
from ui.learn.number_grid import NumberGrid
from ui.learn.window_explorer import HeldSpin, PairSpin, WindowExplorer, capped_note
from workbench.explore.trained import ModelConv
from workbench.explore.windows import (
    INPUT_PRESETS,
    KERNEL_PRESETS,
    PADDING_MODES,
    ConvExplanation,
    Problem,
    WindowSettings,
    explain_conv,
    input_preset,
    kernel_preset,
)
from workbench.model.params import as_pair

MAX_CHANNELS, MAX_SIZE, MAX_KERNEL, MAX_STRIDE, MAX_PADDING, MAX_DILATION = 3, 10, 7, 4, 4, 4
KERNEL_TIP = QT_TRANSLATE_NOOP(
    "ConvExplorer", "The kernel's numbers: a classic hand-made filter, or one of your model's first-layer filters"
)
INPUT_TIP = QT_TRANSLATE_NOOP(
    "ConvExplorer", "The input's numbers: a small example, or the Train tab's probe image as the model reads it"
)
RELOAD_MS = 100  # several model updates in a row are read once
WINDOW_CELL = 40  # the kernel and the numbers under the window: about the size of the window they lay on


class ConvExplorer(WindowExplorer):
    def __init__(
        self,
        classifier_source: ClassifierSource | None = None,
        probe_source: ProbeSource | None = None,
        parent: QWidget | None = None,
    ):
        """`classifier_source()` gives the model at hand (or None), `probe_source()` the probe image and
        its label (or None); without them only the hand-set numbers can be chosen."""
        super().__init__(parent)
        self.setObjectName("convExplorer")
        i18n.keep(self, "setAccessibleName", lambda: translate("ConvExplorer", "Convolution explorer"))
        i18n.keep(
            self,
            "setAccessibleDescription",
            lambda: translate("ConvExplorer", "Convolution worked out on a small input, window by window"),
        )
        self._seed = 0
        self.sources = RealSources(classifier_source, probe_source, MAX_CHANNELS)
        self._layer_input: np.ndarray | Problem | None = None  # the probe's numbers, when it is the input
        self._fallback: tuple[str, str] | None = None  # a real-number choice just given up, and the one instead
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_MS)
        self._reload_timer.timeout.connect(self.reload)
        self.input_grids: list[NumberGrid] = []
        self.kernel_grids: list[NumberGrid] = []
        self.window_grids: list[NumberGrid] = []
        self._times: list[QLabel] = []
        self.output_grid = NumberGrid()
        self.output_grid.cell_clicked.connect(self.select_output)
        self._make_controls()
        self.sources.reload()
        self._update_choices()
        self._rebuild_grids()
        i18n.follow(self, lambda explorer: explorer.retranslate())

    def retranslate(self) -> None:
        """The texts in the window's language: the help under the settings, the choices' reasons, the caption,
        the grids' titles and the worked sum."""
        self.legend.setText(learn_texts.help_doc("convolution.md").intro)
        for grid in self.window_grids:
            grid.title = translate("ConvExplorer", "In the window")
        self._update_choices()
        self._update_caption(self._conv())
        super().retranslate()

    def _make_controls(self) -> None:
        self.input_size = self._spin(1, MAX_SIZE, 7)
        self.add_row(
            lambda: translate("ConvExplorer", "Input size"),
            self.input_size,
            lambda: translate("ConvExplorer", "Height and width of the input"),
        )
        self.channels = self._spin(1, MAX_CHANNELS, 1)
        self.add_row(
            lambda: translate("ConvExplorer", "Channels"),
            self.channels,
            lambda: translate("ConvExplorer", "Input channels; the kernel has one slice per channel"),
        )
        self.input_kind = self._combo([*INPUT_PRESETS, PROBE], self._on_choice_changed)
        self.add_row(lambda: translate("ConvExplorer", "Input"), self.input_kind)
        self.kernel_kind = self._combo([*KERNEL_PRESETS, TRAINED], self._on_choice_changed)
        self.add_row(lambda: translate("ConvExplorer", "Kernel"), self.kernel_kind)
        self.filter = QSpinBox()
        i18n.keep(self.filter, "setAccessibleName", lambda: translate("ConvExplorer", "filter"))
        self.filter.valueChanged.connect(self._on_choice_changed)
        self.add_row(
            lambda: translate("ConvExplorer", "Filter"),
            self.filter,
            lambda: translate("ConvExplorer", "Which of the layer's filters (its output channels) to use"),
        )
        self.form.setRowVisible(self.filter, False)
        self.kernel = self._pair(1, MAX_KERNEL, 3, "kernel_size")
        self.stride = self._pair(1, MAX_STRIDE, 1, "stride")
        self.padding = self._pair(0, MAX_PADDING, 0, "padding")
        self.dilation = self._pair(1, MAX_DILATION, 1, "dilation")
        self.padding_mode = QComboBox()
        self.padding_mode.addItems(PADDING_MODES)  # torch's values, as they are
        self.padding_mode.currentIndexChanged.connect(self.refresh)
        self.add_row(
            "padding_mode",
            self.padding_mode,
            lambda: translate("ConvExplorer", "What the border contains: 0, a mirror, the edge, a wrap"),
        )
        self._own_mode: str | None = None  # the person's padding_mode while a layer's is shown
        shuffle = i18n.keep(QPushButton(), "setText", lambda: translate("ConvExplorer", "New random numbers"))
        shuffle.clicked.connect(self._on_shuffle_clicked)
        self.form.addRow(shuffle)
        self.channels.valueChanged.connect(self._rebuild_grids)

    def _spin(self, low: int, high: int, value: int) -> HeldSpin:
        spin = HeldSpin()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.valueChanged.connect(self.refresh)
        return spin

    def _combo(self, keys, slot) -> QComboBox:
        """The choices' keys are their data; their names follow the language."""
        combo = learn_texts.keyed_combo(keys)
        combo.currentIndexChanged.connect(slot)
        return combo

    def _pair(self, low: int, high: int, value: int, name: str) -> PairSpin:
        pair = PairSpin(low, high, value, name)
        pair.value_changed.connect(self.refresh)
        self.add_row(
            name, pair, lambda: translate("ConvExplorer", "{name} (height × width), as in nn.Conv2d").format(name=name)
        )
        return pair

    def _rebuild_grids(self) -> None:
        """One padded-input grid per channel with its kernel below, the output on the right."""
        layout = self.grids.layout() or QGridLayout(self.grids)
        while layout.count():
            widget = layout.takeAt(0).widget()
            widget.setParent(None)
            if widget is not self.output_grid:
                widget.deleteLater()
        count = self.channels.value()
        self.input_grids = [NumberGrid() for _ in range(count)]
        self.kernel_grids = [NumberGrid() for _ in range(count)]
        self.window_grids = [NumberGrid(translate("ConvExplorer", "In the window")) for _ in range(count)]
        self._times = []
        for index, grid in enumerate(self.input_grids):
            layout.addWidget(grid, 0, index)
            layout.addWidget(self._kernel_cell(index), 1, index)
            layout.setColumnStretch(index, 3)
        arrow = QLabel("→")
        arrow.setStyleSheet("font-size: 20pt;")
        layout.addWidget(arrow, 0, count)
        layout.addWidget(self.output_grid, 0, count + 1, 2, 1)
        layout.setColumnStretch(count + 1, 2)
        self._show_zoom()
        self.refresh()

    def _kernel_cell(self, index: int) -> QWidget:
        """The kernel, and for the probe the numbers under the window beside it (what it multiplies)."""
        cell = QWidget()
        row = QHBoxLayout(cell)
        row.setContentsMargins(0, 0, 0, 0)
        times = QLabel("×")
        times.setStyleSheet("font-size: 16pt;")
        times.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._times.append(times)
        row.addStretch(1)
        for grid in (self.window_grids[index], times, self.kernel_grids[index]):
            if isinstance(grid, NumberGrid):
                grid.max_cell = grid.hint_cell = WINDOW_CELL
                grid.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            row.addWidget(grid)
        row.addStretch(1)
        return cell

    def _show_zoom(self) -> None:
        """Big inputs (the probe) get the numbers under the window and more room for the kernel row."""
        zoom = self._probe_chosen()
        for widget in (*self.window_grids, *self._times):
            widget.setVisible(zoom)
        layout = self.grids.layout()
        layout.setRowStretch(0, 3)
        layout.setRowStretch(1, 0 if zoom else 1)  # zoomed, the kernel row takes what its numbers need

    # ----- the model and the probe ---------------------------------------------------------------------

    def model_changed(self) -> None:
        """New weights or another model (the dashboard's `model_changed`): read them soon if on screen."""
        if self.isVisible():
            self._reload_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._reload_timer.start()  # the model or the probe may have changed on another tab

    def reload(self) -> None:
        """Read the model and the probe again and show them (or give up a choice that no longer works)."""
        self.sources.reload()
        self._update_choices()
        self._apply_sources()

    def _update_choices(self) -> None:
        conv_reason, probe_reason = self.sources.conv_unavailable(), self.sources.probe_unavailable()
        _set_available(self.kernel_kind, TRAINED, conv_reason, translate("ConvExplorer", KERNEL_TIP))
        _set_available(self.input_kind, PROBE, probe_reason, translate("ConvExplorer", INPUT_TIP))
        if conv_reason is None:
            filters = self.sources.conv.filters
            self.filter.blockSignals(True)
            self.filter.setRange(1, filters)
            self.filter.setSuffix(translate("ConvExplorer", " of {count}").format(count=filters))
            self.filter.blockSignals(False)
        for combo, item, reason in ((self.kernel_kind, TRAINED, conv_reason), (self.input_kind, PROBE, probe_reason)):
            if reason is None and self._fallback is not None and self._fallback[0] == item:
                self._fallback = None  # available again
            if reason and combo.currentData() == item:
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
                self._fallback = (item, combo.currentData())

    def _fallback_text(self) -> str:
        """Why a real-number choice was given up, and what shows instead."""
        item, instead = self._fallback
        reason = self.sources.conv_unavailable() if item == TRAINED else self.sources.probe_unavailable()
        text = translate("ConvExplorer", "{choice}: {reason} Back to {instead}.")
        return text.format(choice=learn_texts.name(item), reason=reason, instead=learn_texts.name(instead))

    def _conv(self) -> ModelConv | None:
        """The model's first conv layer when its filter is the chosen kernel."""
        if self.kernel_kind.currentData() != TRAINED or self.sources.conv_unavailable():
            return None
        return self.sources.conv

    def _probe_chosen(self) -> bool:
        return self.input_kind.currentData() == PROBE and self.sources.probe_unavailable() is None

    def _filter_index(self) -> int:
        return self.filter.value() - 1

    def _apply_sources(self) -> None:
        """Show the chosen real numbers: a layer's settings and the probe's size held in their boxes."""
        conv = self._conv()
        self.form.setRowVisible(self.filter, conv is not None)
        settings = conv.settings if conv is not None else None
        for name in ("kernel", "stride", "padding", "dilation"):
            getattr(self, name).hold(getattr(settings, name) if settings else None)
        self._hold_mode(settings.padding_mode if settings else None)
        self._layer_input = self.sources.layer_input(conv, self._filter_index()) if self._probe_chosen() else None
        shape = self._layer_input.shape if isinstance(self._layer_input, np.ndarray) else None
        channels = shape[0] if shape else (conv.channels_per_filter if conv is not None else None)
        self.channels.hold(channels)
        self.input_size.hold(shape[1] if shape else None)
        if conv is not None and shape is None:
            self._fit_input_to_kernel()
        self._update_caption(conv)
        if len(self.input_grids) != self.channels.value():
            self._rebuild_grids()
        else:
            self._show_zoom()
            self.refresh()

    def _hold_mode(self, mode: str | None) -> None:
        self.padding_mode.blockSignals(True)
        if mode is not None:
            self._own_mode = self._own_mode or self.padding_mode.currentText()
            self.padding_mode.setCurrentText(mode)
        elif self._own_mode is not None:
            self.padding_mode.setCurrentText(self._own_mode)
            self._own_mode = None
        self.padding_mode.blockSignals(False)
        self.padding_mode.setEnabled(mode is None)

    def _fit_input_to_kernel(self) -> None:
        span = max(d * (k - 1) + 1 for k, d in zip(self.kernel.value(), self.dilation.value(), strict=True))
        self.input_size.blockSignals(True)
        self.input_size.setValue(max(self.input_size.value(), min(MAX_SIZE, span + 2)))
        self.input_size.blockSignals(False)

    def _update_caption(self, conv: ModelConv | None) -> None:
        notes = [self._fallback_text()] if self._fallback else []
        if conv is not None:
            notes.append(self.sources.kernel_note(conv, self._filter_index()))
        if self._probe_chosen():
            notes.append(self.sources.input_note(conv))
        self.caption.setText("\n".join(notes))
        self.caption.setVisible(bool(notes))

    def _use_hand_set(self) -> None:
        """Back to a hand-set kernel and example input (the builder's "Explore this layer" sets them)."""
        for combo in (self.kernel_kind, self.input_kind):
            if combo.currentData() in (TRAINED, PROBE):
                combo.setCurrentIndex(0)

    # ----- settings ------------------------------------------------------------------------------------

    def settings(self) -> WindowSettings:
        conv = self._conv()
        if conv is not None:
            return conv.settings
        return WindowSettings(
            self.kernel.value(),
            self.stride.value(),
            self.padding.value(),
            self.dilation.value(),
            self.padding_mode.currentText(),
        )

    def set_layer_params(self, params: dict[str, Any]) -> list[Callable[[], str]]:
        """Show a Conv2d's settings; returns notes on what the explorer had to change to show them (each a
        callable that gives it in the language of the moment)."""
        self._use_hand_set()
        notes = []
        kernel, dilation = as_pair(params["kernel_size"]), as_pair(params["dilation"])
        padding = params["padding"]
        if padding == "same":
            padding = tuple(d * (k - 1) // 2 for k, d in zip(kernel, dilation, strict=True))
            if any(d * (k - 1) % 2 for k, d in zip(kernel, dilation, strict=True)):
                notes.append(
                    lambda: translate(
                        "ConvExplorer",
                        "padding='same' adds one more row/column at the bottom/right; shown symmetric here",
                    )
                )
        elif padding == "valid":
            padding = (0, 0)
        for name, pair, limit in (
            ("kernel_size", kernel, MAX_KERNEL),
            ("stride", as_pair(params["stride"]), MAX_STRIDE),
            ("padding", as_pair(padding), MAX_PADDING),
            ("dilation", dilation, MAX_DILATION),
        ):
            if max(pair) > limit:
                notes.append(capped_note(name, pair, limit))
            getattr(self, name.removesuffix("_size")).set_value(pair)
        self.padding_mode.setCurrentText(params["padding_mode"])
        span = max(d * (k - 1) + 1 for k, d in zip(self.kernel.value(), self.dilation.value(), strict=True))
        self.input_size.setValue(max(self.input_size.value(), min(MAX_SIZE, span + 2)))
        return notes

    def _on_shuffle_clicked(self) -> None:
        self._seed += 1
        self.refresh()

    def _on_choice_changed(self, _value: int) -> None:
        self._fallback = None
        self._apply_sources()

    # ----- showing ---------------------------------------------------------------------------------------

    def _numbers(self) -> tuple[np.ndarray, np.ndarray]:
        return self._values(), self._kernel()

    def _values(self) -> np.ndarray:
        if isinstance(self._layer_input, np.ndarray):
            return self._layer_input
        size, channels = self.input_size.value(), len(self.input_grids)
        return input_preset(self.input_kind.currentData(), channels, size, size, self._seed)

    def _kernel(self) -> np.ndarray:
        conv = self._conv()
        if conv is not None:
            return conv.kernel(self._filter_index())
        channels = len(self.input_grids)
        return kernel_preset(self.kernel_kind.currentData(), channels, *self.kernel.value(), self._seed)

    def _bias(self) -> float:
        conv = self._conv()
        return float(conv.bias[self._filter_index()]) if conv is not None else 0.0

    def compute(self) -> ConvExplanation | Problem:
        if isinstance(self._layer_input, Problem):
            return self._layer_input
        values, kernel = self._numbers()
        return explain_conv(values, kernel, self.settings(), self._bias())

    def show_explanation(self, explanation: ConvExplanation) -> None:
        for channel, grid in enumerate(self.input_grids):
            grid.set_values(explanation.padded[channel].numpy(), explanation.pad_mask, self._title("Input", channel))
        for channel, grid in enumerate(self.kernel_grids):
            grid.set_values(explanation.kernel[channel].numpy(), title=self._title("Kernel", channel))
        rows, cols = explanation.out_shape
        conv = self._conv()
        if conv is None:
            what = translate("ConvExplorer", "Output {rows}×{cols}").format(rows=rows, cols=cols)
        else:
            what = translate("ConvExplorer", "Output {rows}×{cols}: feature map {number}")
            what = what.format(rows=rows, cols=cols, number=self.filter.value())
        self.output_grid.set_values(explanation.output.numpy(), title=what)

    def show_problem(self, problem: Problem) -> None:
        values = None if isinstance(self._layer_input, Problem) else self._values()
        kernel = self._kernel()
        for channel, grid in enumerate(self.input_grids):
            grid.set_values(
                values[channel] if values is not None else np.zeros((0, 0)), title=self._title("Input", channel)
            )
        for channel, grid in enumerate(self.kernel_grids):
            grid.set_values(kernel[channel], title=self._title("Kernel", channel))
        for grid in self.window_grids:
            grid.set_values(np.zeros((0, 0)))
        self.output_grid.set_values(np.zeros((0, 0)), title=translate("ConvExplorer", "Output: none"))

    def _title(self, what: str, channel: int) -> str:
        """A grid's title: `what` is "Input" or "Kernel"."""
        is_input = what == "Input"
        if not is_input and self._conv() is not None:
            text = translate("ConvExplorer", "Filter {number}").format(number=self.filter.value())
        elif is_input and self._probe_chosen():
            height, width = self._values().shape[1:]
            text = translate("ConvExplorer", "Probe {height}×{width}").format(height=height, width=width)
        else:
            text = translate("ConvExplorer", "Input") if is_input else translate("ConvExplorer", "Kernel")
        if is_input and max(self.settings().padding) > 0:
            text = translate("ConvExplorer", "{grid} (padded)").format(grid=text)
        one_title = len(self.input_grids) == 1 or (not is_input and self._probe_chosen())  # the probe's says it
        return (
            text
            if one_title
            else translate("ConvExplorer", "{grid}, channel {number}").format(grid=text, number=channel + 1)
        )

    def show_step(self, row: int, col: int) -> None:
        window = self.explanation.window(row, col)
        for grid in self.input_grids:
            grid.set_marks(window=window)
        if self._probe_chosen():
            self._show_under_window(window)
        self.output_grid.set_marks(selected=(row, col))
        self.worked.setText(learn_texts.conv_sum(self.explanation.sum_text(row, col)))

    def _show_under_window(self, window: list[tuple[int, int]]) -> None:
        """The input numbers the kernel covers now, laid out like the kernel."""
        rows, cols = np.array(window).T
        shape = self.explanation.settings.kernel
        muted = self.explanation.pad_mask[rows, cols].reshape(shape)
        for channel, grid in enumerate(self.window_grids):
            values = self.explanation.padded[channel].numpy()[rows, cols].reshape(shape)
            grid.set_values(values, muted)


def _set_available(combo: QComboBox, item: str, reason: str | None, tip: str) -> None:
    """Enable or disable one choice of a combo box, its tooltip (and the box's) saying why and what to do."""
    index = combo.findData(item)
    combo.model().item(index).setEnabled(reason is None)
    combo.setItemData(index, reason or "", Qt.ItemDataRole.ToolTipRole)
    combo.setToolTip(tip if reason is None else f"{tip}.\n{learn_texts.name(item)}: {reason}")


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    explorer = ConvExplorer()
    explorer.resize(1100, 650)
    explorer.show()
    app.exec()
