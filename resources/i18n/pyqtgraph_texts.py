"""Texts pyqtgraph shows without a literal `translate(…)` call, for `pyside6-lupdate` to put in
`pyqtgraph_zh_CN.ts` beside those it finds in pyqtgraph's own modules (`ui/i18n.py` says how), and the few of Qt's
own that its `qtbase_zh_CN` lacks. Never imported: `ui.plots.view_box` translates pyqtgraph's where pyqtgraph shows
them, in the contexts below; Qt translates its own."""

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

TEXTS = (
    # the export dialog's formats (each exporter's `Name`, which the dialog translates in "Exporter")
    QT_TRANSLATE_NOOP("Exporter", "Image File (PNG, TIF, JPG, ...)"),
    QT_TRANSLATE_NOOP("Exporter", "Scalable Vector Graphics (SVG)"),
    QT_TRANSLATE_NOOP("Exporter", "CSV of original plot data"),
    QT_TRANSLATE_NOOP("Exporter", "Matplotlib Window"),
    QT_TRANSLATE_NOOP("Exporter", "HDF5 Export: plot (x,y)"),
    QT_TRANSLATE_NOOP("Exporter", "Printer"),
    QT_TRANSLATE_NOOP("Exporter", "Scalable Vector Graphics"),  # the file dialog's filter
    # the exporters' choices and tips
    QT_TRANSLATE_NOOP("Exporter", "comma"),
    QT_TRANSLATE_NOOP("Exporter", "tab"),
    QT_TRANSLATE_NOOP("Exporter", "(x,y) per plot"),
    QT_TRANSLATE_NOOP("Exporter", "(x,y,y,y) for all plots"),
    QT_TRANSLATE_NOOP(
        "Exporter",
        "If False, strokes are non-scaling, which means that they appear the same width on screen regardless of "
        "how they are scaled or how the view is zoomed.",
    ),
    # a ViewBox menu's "X axis", "Y axis"
    QT_TRANSLATE_NOOP("ViewBox", "axis"),
    # the export dialog's list of what to export, and its options' column titles
    QT_TRANSLATE_NOOP("ExportDialog", "Entire Scene"),
    QT_TRANSLATE_NOOP("ExportDialog", "Plot"),
    QT_TRANSLATE_NOOP("ExportDialog", "ViewBox"),
    QT_TRANSLATE_NOOP("ExportDialog", "Parameter"),
    QT_TRANSLATE_NOOP("ExportDialog", "Value"),
    QT_TRANSLATE_NOOP("ExportDialog", "Options"),
)


def _qt_texts() -> None:
    """Qt 6's file dialog: two labels renamed since `qtbase_zh_CN` was translated, and the type column's names of
    what is not a file (each with Qt's disambiguation, which only `translate` carries). Never called."""
    QCoreApplication.translate("QFileDialog", "&Look in:")
    QCoreApplication.translate("QFileDialog", "Files of &type:")
    QCoreApplication.translate("QAbstractFileIconProvider", "Drive")
    QCoreApplication.translate("QAbstractFileIconProvider", "File")
    QCoreApplication.translate("QAbstractFileIconProvider", "Folder", "All other platforms")
    QCoreApplication.translate("QAbstractFileIconProvider", "File Folder", "Match Windows Explorer")
    QCoreApplication.translate("QAbstractFileIconProvider", "Shortcut", "All other platforms")
    QCoreApplication.translate("QAbstractFileIconProvider", "Alias", "macOS Finder")
    QCoreApplication.translate("QAbstractFileIconProvider", "Unknown")
