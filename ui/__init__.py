"""CNN Workbench's Qt app: windows and widgets over the `workbench` core."""
