"""Checks: what is wrong with an init_cfg value, as rule codes and messages."""
