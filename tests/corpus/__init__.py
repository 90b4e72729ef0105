"""Workbooks as people really send them, each with the outcome the importer must reach (see cases.py)."""
