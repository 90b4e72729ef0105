"""Self-assessment: an institution's respondents answer the methodology's questions for each of its services."""

from ui import form_views
from ui.frame import context

ctx = context()
form_views.render(ctx.lang)
