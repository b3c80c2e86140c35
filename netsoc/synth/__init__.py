"""Synthetic studies: the embedded example and national-scale benchmark data."""
