"""One-time links for choosing a password: Django's reset tokens, and invitation tokens that are
the same machinery with their own salt and expiry.

A token hashes the user's password hash, last login and email, so it stops working once a
password is chosen, once the person signs in (password or SSO) or when HR changes their email.
The distinct `key_salt` means a reset token is never accepted as an invitation and vice versa.
"""

from enum import StrEnum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class LinkStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"  # genuine, but older than the generator's timeout: offer a new one
    USED = "used"  # the person has chosen a password or signed in since the link was made
    INVALID = "invalid"  # not a link we made for this person (mistyped, cut, tampered)


class TimeoutTokenGenerator(PasswordResetTokenGenerator):
    """A token generator that can tell expired from used links, with its own timeout."""

    def timeout_seconds(self) -> int:
        return settings.PASSWORD_RESET_TIMEOUT

    def status(self, user, token: str) -> LinkStatus:
        if not (user and token):
            return LinkStatus.INVALID
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return LinkStatus.INVALID
        genuine = any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        if not genuine:
            return LinkStatus.USED if (user.last_login or user.has_usable_password()) else LinkStatus.INVALID
        if self._num_seconds(self._now()) - ts > self.timeout_seconds():
            return LinkStatus.EXPIRED
        return LinkStatus.VALID

    def check_token(self, user, token) -> bool:
        return self.status(user, token) is LinkStatus.VALID


class InvitationTokenGenerator(TimeoutTokenGenerator):
    """Invitation links: valid for INVITATION_DAYS days, never interchangeable with reset links."""

    key_salt = "training.people.tokens.InvitationTokenGenerator"

    def timeout_seconds(self) -> int:
        return settings.INVITATION_DAYS * 24 * 3600


class ResetTokenGenerator(TimeoutTokenGenerator):
    """Password reset links: Django's own tokens (same salt, PASSWORD_RESET_TIMEOUT), so links made
    by Django's default generator stay valid; only `status` is added."""

    key_salt = default_token_generator.key_salt


invitation_token_generator = InvitationTokenGenerator()
reset_token_generator = ResetTokenGenerator()
