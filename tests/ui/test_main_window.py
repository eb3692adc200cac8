from __future__ import annotations

from ui.main_window import MainWindow


def test_main_window_opens_on_the_starter_model(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    table = window.findChild(type(window.summary_table), "modelSummary")
    assert table is not None and table.rowCount() == 10
    assert table.item(0, 1).text() == "10×24×24"
    assert "21,840 parameters" in window.statusBar().currentMessage()
