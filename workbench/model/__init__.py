"""What a network is, as plain data: the layer catalog and its parameters, the model spec and its JSON,
shape inference, building the torch module, starter templates and undoable edits.

The bottom room of the core: it imports torch, and `resources` for the catalog's help texts
(`helptext`), and nothing else of the workbench.
"""
