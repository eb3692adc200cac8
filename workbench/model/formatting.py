"""Plain-text renderings shared by the CLI and the app: numbers, byte sizes, summary tables."""

from __future__ import annotations

from workbench.model.shapes import Inference, LayerInfo, describe_shape


def human_count(number: int) -> str:
    return f"{number:,}"


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.2f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def summary_table(inference: Inference, title: str = "") -> str:
    """A torchinfo-like table: layer, output shape, parameters, MACs, then the totals."""
    header = f"{'#':>3}  {'Layer (type)':<20} {'Output shape':<16} {'Param #':>12} {'MACs':>14}"
    rule = "=" * len(header)
    lines = [title] if title else []
    lines += [rule, header, rule, f"{'':>3}  {'Input':<20} {describe_shape(inference.input):<16}"]
    lines += _rows(inference.layers, "", 0)
    if inference.error is not None:
        where = inference.error.where or f"{inference.error.index:>3}  {inference.error.type}"
        lines.append(f"{where}  (error)")
    lines += [
        rule,
        f"Total params: {human_count(inference.total_params)}",
        f"Total MACs (multiply-adds per sample): {human_count(inference.total_macs)}",
        f"Activation memory (forward, per sample): {human_bytes(inference.activation_bytes)}",
        f"Parameter memory: {human_bytes(inference.param_bytes)}",
        rule,
    ]
    if inference.over_budget is not None:
        lines.append(f"Too large: {inference.over_budget}")
    return "\n".join(lines)


def _rows(infos: tuple[LayerInfo, ...], prefix: str, depth: int) -> list[str]:
    """One line per layer; a block's layers follow it, indented and numbered '3.1' ('4.b2.1' in a branch)."""
    lines = []
    for info in infos:
        number = f"{prefix}{info.index}"
        first, name = (number, info.type) if not depth else ("", "  " * depth + f"{number} {info.type}")
        lines.append(
            f"{first:>3}  {name:<20} {describe_shape(info.output):<16} "
            f"{human_count(info.params):>12} {human_count(info.macs):>14}"
        )
        if info.projection is not None:
            lines.append(f"{'':>3}  {'  ' * (depth + 1)}+ projection: {info.projection.text}")
        for branch, inner in enumerate(info.branches):
            mark = f"b{branch + 1}." if info.type == "Concat" else ""
            lines += _rows(inner, f"{number}.{mark}", depth + 1)
    return lines
