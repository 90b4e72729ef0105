"""Reading and writing the exchange workbooks (see docs/FORMATS.md).

Submodules are imported on demand: the reader pulls in python-calamine and the
template builder openpyxl, and the app should not pay for both at start-up.
"""
