"""The Experiments tab: the Build tab's model and its Vary… marks searched on Optuna by worker processes, the trials
live in a table and plots, the best configuration put back into the Build and Train tabs."""
