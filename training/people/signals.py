"""Signals of the sign-in flows, for code that must react without the views knowing it."""

from django.dispatch import Signal

# Sent after someone chose a password through a one-time link, once the password is saved.
# Arguments: user, request, kind ("reset" or "invitation"). Login throttling unlocks the account
# here: the person proved they own the address.
password_set_by_link = Signal()
