"""The learning-rate finder's panel: smoothed loss against learning rate (log scale), the proposed
peak rate marked, and a button that puts it into the settings."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from ui import i18n, messages, theme
from ui.i18n import translate
from ui.plots.common import header_bar, placeholder, shrinkable, stacked_panel, style_plot, themed_plot_widget
from ui.theme import Theme
from workbench.training.lr_finder import LrFinding


class LrFinderPlot(QWidget):
    """`searching()` while the range test runs (`progress(done, total)`), then `show_finding(LrFinding)`
    or `show_error(message)`. "Use" emits `lr_accepted(rate)`."""

    lr_accepted = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lrFinderPlot")
        self.finding: LrFinding | None = None
        self._searching = False
        self._error: str | None = None  # why the last search found no proposal (the core's words)
        bar, row = header_bar()
        self.caption = shrinkable(QLabel(""))
        self.caption.setObjectName("lrFinderCaption")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setVisible(False)
        self.use_button = QPushButton()
        self.use_button.setObjectName("useLrButton")
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self._on_use_clicked)
        row.addWidget(self.caption, 1)
        row.addWidget(self.progress)
        row.addWidget(self.use_button)
        self.plot = themed_plot_widget()
        item = self.plot.plotItem
        style_plot(
            item,
            lambda: translate("LrFinderPlot", "learning rate (log scale)"),
            lambda: translate("LrFinderPlot", "loss (smoothed)"),
        )
        item.setLogMode(x=True, y=False)
        self.curve = item.plot()
        self.marker = pg.InfiniteLine(angle=90, movable=False)
        self.marker.setVisible(False)
        item.addItem(self.marker, ignoreBounds=True)
        theme.follow(self, self._restyle)
        self.empty = placeholder("")
        self.stack = stacked_panel(self, bar, self.empty, self.plot)
        i18n.follow(self, LrFinderPlot.retranslate)

    def retranslate(self) -> None:
        """Every text of the panel, for what it shows now, in the language of the moment."""
        self.setAccessibleDescription(
            translate("LrFinderPlot", "Loss against learning rate from the range test, with the proposed rate")
        )
        self.empty.setText(
            translate(
                "LrFinderPlot",
                "Find learning rate (in the settings) tries rates from 1e-6 to 1 on a hundred batches "
                "and shows here how the loss answers.",
            )
        )
        finding = self.finding
        if finding is None:
            self.use_button.setText(translate("LrFinderPlot", "Use"))
            self.caption.setToolTip("")
        else:
            rate = f"{finding.suggestion:.3g}"
            self.use_button.setText(translate("LrFinderPlot", "Use {rate}").format(rate=rate))
            self.caption.setText(
                translate("LrFinderPlot", "Proposed peak rate {rate}, a tenth of the lowest-loss rate").format(
                    rate=rate
                )
            )
            self.caption.setToolTip(
                translate(
                    "LrFinderPlot",
                    "The loss was lowest at {minimum} and fell fastest at {steepest}. "
                    "For a one-cycle schedule, a tenth of the lowest-loss rate is the classic peak.",
                ).format(minimum=f"{finding.minimum:.3g}", steepest=f"{finding.steepest:.3g}")
            )
        if self._searching:
            self.caption.setText(translate("LrFinderPlot", "Trying learning rates…"))
        elif self._error is not None:
            line = translate("LrFinderPlot", "No proposal: {problem}").format(problem=messages.translated(self._error))
            theme.set_toned_text(self.caption, html.escape(line), "error")
            self.caption.setToolTip(messages.details(self._error))

    def _restyle(self, t: Theme) -> None:
        self.curve.setPen(pg.mkPen(t.blue, width=2))
        self.marker.setPen(pg.mkPen(t.orange, width=2, style=Qt.PenStyle.DashLine))

    def searching(self) -> None:
        self.finding, self._searching, self._error = None, True, None
        self.use_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.retranslate()

    def progress_to(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def show_finding(self, finding: LrFinding) -> None:
        self.finding, self._searching, self._error = finding, False, None
        self.progress.setVisible(False)
        self.curve.setData(np.asarray(finding.lrs), np.asarray(finding.losses))
        self.marker.setValue(np.log10(finding.suggestion))  # the x axis is log10 in log mode
        self.marker.setVisible(True)
        self.plot.plotItem.enableAutoRange()
        self.stack.setCurrentWidget(self.plot)
        self.use_button.setEnabled(True)
        self.retranslate()

    def show_error(self, message: str) -> None:
        """The search found no proposal: `message` says why (the core's words, translated where known)."""
        self._searching, self._error = False, message
        self.progress.setVisible(False)
        self.retranslate()

    def _on_use_clicked(self) -> None:
        if self.finding is not None:
            self.lr_accepted.emit(float(f"{self.finding.suggestion:.3g}"))


if __name__ == "__main__":
    from ui.plots.common import demo_app
    from workbench.training.lr_finder import propose

    app = demo_app()
    panel = LrFinderPlot()
    lrs = np.geomspace(1e-6, 1, 90)
    panel.show_finding(propose(lrs, 2.3 - 2.0 / (1 + (3e-3 / lrs) ** 2) + 3 * (lrs > 0.2) * lrs))
    panel.lr_accepted.connect(lambda rate: print("use", rate))
    panel.resize(700, 400)
    panel.show()
    app.exec()
