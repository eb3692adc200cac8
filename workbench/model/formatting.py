"""Plain-text renderings shared by the CLI and the app: numbers, byte sizes, summary tables."""

from __future__ import annotations

from workbench.model.shapes import Inference, describe_shape


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
    for layer in inference.layers:
        lines.append(
            f"{layer.index:>3}  {layer.type:<20} {describe_shape(layer.output):<16} "
            f"{human_count(layer.params):>12} {human_count(layer.macs):>14}"
        )
    if inference.error is not None:
        lines.append(f"{inference.error.index:>3}  {inference.error.type:<20} {'(error)':<16}")
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
