"""Collection tracker: who owes which form, who is late, whom to remind (experts and administrators)."""

from ui import tracker_views
from ui.frame import context

ctx = context()
tracker_views.render(ctx.lang)
