"""Presentation: formatting of numbers and tables, figures, and the what-if panel. Reads
results; computes no cost."""
