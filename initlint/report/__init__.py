"""Reports: one module per output format, each writing diagnostics to a text stream."""
