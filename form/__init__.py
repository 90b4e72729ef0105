"""The online self-assessment form, as pure functions: no Streamlit, no DuckDB.

An institution's people answer the methodology's questions for each of its
services in the app. This package holds the rules of that form that do not
need a database: the questionnaire frozen with a collection round
(``questions``), the draft as plain data (``model``), the checks run before a
submission (``checks``), turning a draft into the same parsed records a
workbook yields (``submission``), the collection tracker's figures
(``tracker``), the printable and the prefilled exchange workbooks
(``printable``, ``workbook``) and the local calendar (``clock``).
``store.collection`` reads and writes drafts and calls these.
"""
