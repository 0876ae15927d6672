# Tests of names, the exporter, ZIP and PDF.
