"""A quick hash for the demo's one public password while the demo is made.

Every demo account shares the password printed in the README, and the demo makes about
sixty accounts through the invitation action, which hashes each one with Django's
deliberately slow hasher: half a minute of `make run` for a secret that is public anyway.
While seeding, this hasher (the same PBKDF2 algorithm, few rounds) is the only one; at a
person's first sign-in Django sees fewer rounds than the configured hasher wants and
stores a strong hash instead.
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickDemoHasher(PBKDF2PasswordHasher):
    iterations = 1_000
