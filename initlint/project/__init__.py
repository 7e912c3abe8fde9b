"""Model sources and the project index: classes across files, their bases, registries and
attributes."""
