"""The model builder: layer palette, layer stack, inspector, model summary."""
