"""Configs as `mmengine.Config.fromfile` builds them: the loader, its merge rules and the
static evaluator."""
