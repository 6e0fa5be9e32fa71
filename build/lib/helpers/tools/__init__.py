"""Tools around the workbook: measuring your own GPU (``probe``), benchmarks (``bench``,
``bench_widgets``) and building the committed notebooks (``nbtools``)."""
