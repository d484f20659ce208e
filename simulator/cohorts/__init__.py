"""Cohorts (promotions): created by trainers, filled by hand or from a CSV roster."""
