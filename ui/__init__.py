"""Interface helpers shared by the pages: texts, palette, charts, exports, widgets."""
