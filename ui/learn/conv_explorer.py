"""The convolution explorer: a small input, a kernel, and the output computed window by window.

Each input channel's padded grid sits above its kernel; the output map is on the right. The step
slider (or a click on an output cell) moves the window; the worked sum lists every product.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QSpinBox, QWidget

from ui.learn.number_grid import NumberGrid
from ui.learn.window_explorer import PairSpin, WindowExplorer
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
from workbench.model import helptext
from workbench.model.params import as_pair

MAX_CHANNELS, MAX_SIZE, MAX_KERNEL, MAX_STRIDE, MAX_PADDING, MAX_DILATION = 3, 10, 7, 4, 4, 4
LEGEND = helptext.load("learn", "convolution.md").intro


class ConvExplorer(WindowExplorer):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("convExplorer")
        self.setAccessibleName("convExplorer")
        self.setAccessibleDescription("Convolution worked out on a small input, window by window")
        self._seed = 0
        self._make_controls()
        self.input_grids: list[NumberGrid] = []
        self.kernel_grids: list[NumberGrid] = []
        self.output_grid = NumberGrid("Output")
        self.output_grid.cell_clicked.connect(self.select_output)
        self.legend.setText(LEGEND)
        self._rebuild_grids()
        self.refresh()

    def _make_controls(self) -> None:
        self.input_size = self._spin(1, MAX_SIZE, 7)
        self.add_row("Input size", self.input_size, "Height and width of the input")
        self.channels = self._spin(1, MAX_CHANNELS, 1)
        self.add_row("Channels", self.channels, "Input channels; the kernel has one slice per channel")
        self.input_kind = self._combo(INPUT_PRESETS)
        self.add_row("Input", self.input_kind, "The example numbers in the input")
        self.kernel_kind = self._combo(KERNEL_PRESETS)
        self.add_row("Kernel", self.kernel_kind, "The kernel's numbers: a classic hand-made filter")
        self.kernel = self._pair(1, MAX_KERNEL, 3, "kernel_size")
        self.stride = self._pair(1, MAX_STRIDE, 1, "stride")
        self.padding = self._pair(0, MAX_PADDING, 0, "padding")
        self.dilation = self._pair(1, MAX_DILATION, 1, "dilation")
        self.padding_mode = self._combo(PADDING_MODES)
        self.add_row("padding_mode", self.padding_mode, "What the border contains: 0, a mirror, the edge, a wrap")
        shuffle = QPushButton("New random numbers")
        shuffle.clicked.connect(self._on_shuffle_clicked)
        self.form.addRow(shuffle)
        self.channels.valueChanged.connect(self._rebuild_grids)

    def _spin(self, low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.valueChanged.connect(self.refresh)
        return spin

    def _combo(self, items) -> QComboBox:
        combo = QComboBox()
        combo.addItems(list(items))
        combo.currentIndexChanged.connect(self.refresh)
        return combo

    def _pair(self, low: int, high: int, value: int, name: str) -> PairSpin:
        pair = PairSpin(low, high, value, name)
        pair.value_changed.connect(self.refresh)
        self.add_row(name, pair, f"{name} (height × width), as in nn.Conv2d")
        return pair

    def _rebuild_grids(self) -> None:
        """One padded-input grid and one kernel grid per channel, the output on the right."""
        layout = self.grids.layout() or QGridLayout(self.grids)
        while layout.count():
            widget = layout.takeAt(0).widget()
            widget.setParent(None)
            if widget is not self.output_grid:
                widget.deleteLater()
        count = self.channels.value()
        self.input_grids = [NumberGrid() for _ in range(count)]
        self.kernel_grids = [NumberGrid() for _ in range(count)]
        for kernel in self.kernel_grids:
            kernel.max_cell = 40  # about the size of the window it is laid on
        for index, (grid, kernel) in enumerate(zip(self.input_grids, self.kernel_grids, strict=True)):
            layout.addWidget(grid, 0, index)
            layout.addWidget(kernel, 1, index)
            layout.setColumnStretch(index, 3)
        arrow = QLabel("→")
        arrow.setStyleSheet("font-size: 20pt;")
        layout.addWidget(arrow, 0, count)
        layout.addWidget(self.output_grid, 0, count + 1, 2, 1)
        layout.setColumnStretch(count + 1, 2)
        layout.setRowStretch(0, 3)
        layout.setRowStretch(1, 1)
        self.refresh()

    # ----- settings ------------------------------------------------------------------------------------

    def settings(self) -> WindowSettings:
        return WindowSettings(
            self.kernel.value(),
            self.stride.value(),
            self.padding.value(),
            self.dilation.value(),
            self.padding_mode.currentText(),
        )

    def set_layer_params(self, params: dict[str, Any]) -> list[str]:
        """Show a Conv2d's settings; returns notes on what the explorer had to change to show them."""
        notes = []
        kernel, dilation = as_pair(params["kernel_size"]), as_pair(params["dilation"])
        padding = params["padding"]
        if padding == "same":
            padding = tuple(d * (k - 1) // 2 for k, d in zip(kernel, dilation, strict=True))
            if any(d * (k - 1) % 2 for k, d in zip(kernel, dilation, strict=True)):
                notes.append("padding='same' adds one more row/column at the bottom/right; shown symmetric here")
        elif padding == "valid":
            padding = (0, 0)
        for name, pair, limit in (
            ("kernel_size", kernel, MAX_KERNEL),
            ("stride", as_pair(params["stride"]), MAX_STRIDE),
            ("padding", as_pair(padding), MAX_PADDING),
            ("dilation", dilation, MAX_DILATION),
        ):
            if max(pair) > limit:
                notes.append(f"{name} {pair} is more than this explorer shows; capped at {limit}")
            getattr(self, name.removesuffix("_size")).set_value(pair)
        self.padding_mode.setCurrentText(params["padding_mode"])
        span = max(d * (k - 1) + 1 for k, d in zip(self.kernel.value(), self.dilation.value(), strict=True))
        self.input_size.setValue(max(self.input_size.value(), min(MAX_SIZE, span + 2)))
        return notes

    def _on_shuffle_clicked(self) -> None:
        self._seed += 1
        self.refresh()

    # ----- showing ---------------------------------------------------------------------------------------

    def _numbers(self) -> tuple[np.ndarray, np.ndarray]:
        size, channels = self.input_size.value(), len(self.input_grids)
        values = input_preset(self.input_kind.currentText(), channels, size, size, self._seed)
        kernel = kernel_preset(self.kernel_kind.currentText(), channels, *self.kernel.value(), self._seed)
        return values, kernel

    def compute(self) -> ConvExplanation | Problem:
        values, kernel = self._numbers()
        return explain_conv(values, kernel, self.settings())

    def show_explanation(self, explanation: ConvExplanation) -> None:
        for channel, grid in enumerate(self.input_grids):
            grid.set_values(explanation.padded[channel].numpy(), explanation.pad_mask, self._title("Input", channel))
        for channel, grid in enumerate(self.kernel_grids):
            grid.set_values(explanation.kernel[channel].numpy(), title=self._title("Kernel", channel))
        rows, cols = explanation.out_shape
        self.output_grid.set_values(explanation.output.numpy(), title=f"Output {rows}×{cols}")

    def show_problem(self, problem: Problem) -> None:
        values, kernel = self._numbers()
        for channel, grid in enumerate(self.input_grids):
            grid.set_values(values[channel], title=self._title("Input", channel))
        for channel, grid in enumerate(self.kernel_grids):
            grid.set_values(kernel[channel], title=self._title("Kernel", channel))
        self.output_grid.set_values(np.zeros((0, 0)), title="Output: none")

    def _title(self, what: str, channel: int) -> str:
        padded = " (padded)" if what == "Input" and max(self.padding.value()) > 0 else ""
        return f"{what}{padded}, channel {channel + 1}" if len(self.input_grids) > 1 else f"{what}{padded}"

    def show_step(self, row: int, col: int) -> None:
        window = self.explanation.window(row, col)
        for grid in self.input_grids:
            grid.set_marks(window=window)
        self.output_grid.set_marks(selected=(row, col))
        self.worked.setText(self.explanation.sum_text(row, col))


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    explorer = ConvExplorer()
    explorer.resize(1100, 650)
    explorer.show()
    app.exec()
