"""The Draw tab: a canvas whose digit the model classifies as it is drawn."""
