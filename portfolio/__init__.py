"""Portfolio dashboards: the home page, the network view and the startup timeline."""
