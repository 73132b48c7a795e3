"""Passwords are hashed with Argon2id at OWASP's minimum; older hashes are upgraded at sign-in.
(The test settings use a fast hasher; these tests put the production list back.)"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from training.settings import base

pytestmark = pytest.mark.django_db
ARGON2ID = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_new_passwords_are_argon2id_at_owasp_minimum(production_hashers):
    user = get_user_model().objects.get(username="ben")
    user.set_password("a long enough passphrase")
    assert user.password.startswith(ARGON2ID) and user.check_password("a long enough passphrase")


def test_an_older_pbkdf2_hash_is_upgraded_at_the_next_sign_in(production_hashers, client):
    user = get_user_model().objects.get(username="ben")
    user.password = make_password("old passphrase", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    response = client.post(reverse("login"), {"username": "ben", "password": "old passphrase"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID) and user.check_password("old passphrase")
