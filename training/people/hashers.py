"""Password hashing at OWASP's current minimum for Argon2id (m=19 MiB, t=2, p=1).

Django's own Argon2 defaults (100 MiB, 8 lanes) cost several times more memory and CPU per sign-in;
at this setting a sign-in hash takes tens of milliseconds instead of PBKDF2's ~250 ms, so a morning
rush of logins does not queue. Hashes made with an older hasher (PBKDF2) are upgraded by Django on
the person's next successful sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
