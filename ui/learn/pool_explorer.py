"""The pooling explorer: max or average pooling of a small map, window by window.

For max pooling the padding is −∞ (it never wins) and the chosen maximum is outlined; for average
pooling the cells the divisor counts are highlighted. With ceil_mode the last window may hang past
the padded input: the dashed outline shows the whole window, the yellow cells the part that counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from ui import i18n
from ui.i18n import translate
from ui.learn import learn_texts
from ui.learn.number_grid import NumberGrid
from ui.learn.window_explorer import PairSpin, WindowExplorer, capped_note
from workbench.explore.windows import (
    INPUT_PRESETS,
    PoolExplanation,
    Problem,
    WindowSettings,
    explain_pool,
    input_preset,
)
from workbench.model.params import as_pair

KINDS = {"MaxPool2d": "max", "AvgPool2d": "avg"}
MAX_SIZE, MAX_KERNEL, MAX_STRIDE, MAX_PADDING, MAX_DILATION = 10, 5, 4, 2, 3


class PoolExplorer(WindowExplorer):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("poolExplorer")
        i18n.keep(self, "setAccessibleName", lambda: translate("PoolExplorer", "Pooling explorer"))
        i18n.keep(
            self,
            "setAccessibleDescription",
            lambda: translate("PoolExplorer", "Max and average pooling worked out on a small input, window by window"),
        )
        self._seed = 0
        self._make_controls()
        self.input_grid = NumberGrid()
        self.output_grid = NumberGrid()
        self.output_grid.cell_clicked.connect(self.select_output)
        layout = QHBoxLayout(self.grids)
        layout.addWidget(self.input_grid, 3)
        arrow = QLabel("→")
        arrow.setStyleSheet("font-size: 20pt;")
        layout.addWidget(arrow)
        layout.addWidget(self.output_grid, 2)
        self._on_kind_changed()  # enables the controls that apply, then computes
        i18n.follow(self, lambda explorer: explorer.retranslate())

    def retranslate(self) -> None:
        """The texts in the window's language: the help under the settings, the grids' titles, the worked value."""
        self.legend.setText(learn_texts.help_doc("pooling.md").intro)
        super().retranslate()

    def _make_controls(self) -> None:
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.add_row(lambda: translate("PoolExplorer", "Layer"), self.kind)
        self.input_size = QSpinBox()
        self.input_size.setRange(1, MAX_SIZE)
        self.input_size.setValue(6)
        self.input_size.valueChanged.connect(self.refresh)
        self.add_row(
            lambda: translate("PoolExplorer", "Input size"),
            self.input_size,
            lambda: translate("PoolExplorer", "Height and width of the input"),
        )
        self.input_kind = learn_texts.keyed_combo([*INPUT_PRESETS[1:], INPUT_PRESETS[0]])  # random shows max best
        self.input_kind.currentIndexChanged.connect(self.refresh)
        self.add_row(
            lambda: translate("PoolExplorer", "Input"),
            self.input_kind,
            lambda: translate("PoolExplorer", "The example numbers in the input"),
        )
        self.kernel = self._pair(1, MAX_KERNEL, 2, "kernel_size")
        self.stride = self._pair(1, MAX_STRIDE, 2, "stride")
        self.padding = self._pair(0, MAX_PADDING, 0, "padding")
        self.dilation = self._pair(1, MAX_DILATION, 1, "dilation")
        self.ceil_mode = self._check(
            "ceil_mode", lambda: translate("PoolExplorer", "Round the output size up: a last, partial window is kept")
        )
        self.count_include_pad = self._check(
            "count_include_pad", lambda: translate("PoolExplorer", "Average pooling: padded zeros count"), True
        )
        self.divisor = QSpinBox()
        self.divisor.setRange(0, 25)
        i18n.keep(self.divisor, "setSpecialValueText", lambda: translate("PoolExplorer", "window size"))
        self.divisor.valueChanged.connect(self.refresh)
        self.add_row(
            "divisor_override",
            self.divisor,
            lambda: translate("PoolExplorer", "Average pooling: divide by this instead"),
        )
        shuffle = i18n.keep(QPushButton(), "setText", lambda: translate("PoolExplorer", "New random numbers"))
        shuffle.clicked.connect(self._on_shuffle_clicked)
        self.form.addRow(shuffle)

    def _pair(self, low: int, high: int, value: int, name: str) -> PairSpin:
        pair = PairSpin(low, high, value, name)
        pair.value_changed.connect(self.refresh)
        self.add_row(name, pair, lambda: translate("PoolExplorer", "{name} (height × width)").format(name=name))
        return pair

    def _check(self, name: str, tip, checked: bool = False) -> QCheckBox:
        box = QCheckBox()
        box.setChecked(checked)
        box.toggled.connect(self.refresh)
        self.add_row(name, box, tip)
        return box

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind.currentText()]

    def _on_kind_changed(self) -> None:
        average = self.kind_name == "avg"
        if average:
            self.dilation.set_value((1, 1))
        self.dilation.setEnabled(not average)
        self.count_include_pad.setEnabled(average)
        self.divisor.setEnabled(average)
        self.refresh()

    def _on_shuffle_clicked(self) -> None:
        self._seed += 1
        self.refresh()

    # ----- settings ------------------------------------------------------------------------------------

    def settings(self) -> WindowSettings:
        average = self.kind_name == "avg"
        return WindowSettings(
            self.kernel.value(),
            self.stride.value(),
            self.padding.value(),
            self.dilation.value(),
            ceil_mode=self.ceil_mode.isChecked(),
            count_include_pad=self.count_include_pad.isChecked(),
            divisor_override=(self.divisor.value() or None) if average else None,
        )

    def set_layer_params(self, type_name: str, params: dict[str, Any]) -> list[Callable[[], str]]:
        """Show a MaxPool2d's or AvgPool2d's settings; returns notes on anything capped (callables that give
        them in the language of the moment)."""
        self.kind.setCurrentIndex(0 if type_name == "MaxPool2d" else 1)
        kernel = as_pair(params["kernel_size"])
        stride = as_pair(params["stride"]) if params["stride"] is not None else kernel
        pairs = [("kernel_size", kernel, MAX_KERNEL), ("stride", stride, MAX_STRIDE)]
        pairs.append(("padding", as_pair(params["padding"]), MAX_PADDING))
        if type_name == "MaxPool2d":
            pairs.append(("dilation", as_pair(params["dilation"]), MAX_DILATION))
        notes = []
        for name, pair, limit in pairs:
            if max(pair) > limit:
                notes.append(capped_note(name, pair, limit))
            getattr(self, name.removesuffix("_size")).set_value(pair)
        self.ceil_mode.setChecked(params["ceil_mode"])
        if type_name == "AvgPool2d":
            self.count_include_pad.setChecked(params["count_include_pad"])
            self.divisor.setValue(params["divisor_override"] or 0)
        return notes

    # ----- showing ---------------------------------------------------------------------------------------

    def _values(self) -> np.ndarray:
        size = self.input_size.value()
        return input_preset(self.input_kind.currentData(), 1, size, size, self._seed)[0]

    def compute(self) -> PoolExplanation | Problem:
        return explain_pool(self._values(), self.kind_name, self.settings())

    def show_explanation(self, explanation: PoolExplanation) -> None:
        overhang = explanation.grid_shape != tuple(
            n + 2 * p for n, p in zip(explanation.values.shape, self.padding.value(), strict=True)
        )
        if max(self.padding.value()) > 0:
            title = translate("PoolExplorer", "Input (padded)")
        else:
            title = translate("PoolExplorer", "Input")
        if overhang:
            title = translate("PoolExplorer", "{grid} + ceil_mode overhang").format(grid=title)
        self.input_grid.set_values(explanation.grid, explanation.outside_mask, title)
        rows, cols = explanation.out_shape
        title = translate("PoolExplorer", "Output {rows}×{cols}").format(rows=rows, cols=cols)
        self.output_grid.set_values(explanation.output.numpy(), title=title)

    def show_problem(self, problem: Problem) -> None:
        self.input_grid.set_values(self._values(), title=translate("PoolExplorer", "Input"))
        self.output_grid.set_values(np.zeros((0, 0)), title=translate("PoolExplorer", "Output: none"))

    def show_step(self, row: int, col: int) -> None:
        explanation = self.explanation
        self.input_grid.set_marks(
            window=explanation.window(row, col), frame=explanation.frame(row, col), chosen=explanation.chosen(row, col)
        )
        self.output_grid.set_marks(selected=(row, col))
        self.worked.setText(learn_texts.pool_value(explanation.value_text(row, col)))


if __name__ == "__main__":
    from ui.plots.common import demo_app

    app = demo_app()
    explorer = PoolExplorer()
    explorer.resize(1100, 650)
    explorer.show()
    app.exec()
