"""Extraction: files to value trees and init_cfg sites (libcst for Python, yaml/json for data)."""
