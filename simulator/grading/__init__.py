"""Routing productions to juries, grading with the criteria grid, reconciliation, results and validation."""
