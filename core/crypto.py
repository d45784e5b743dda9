"""Encryption at rest for ID numbers and phone numbers.

AES-256-GCM (``cryptography``) with a random 96-bit nonce per value; the stored
text is ``v1:`` + urlsafe-base64(nonce ‖ ciphertext ‖ tag). A keyed BLAKE2b MAC
of the normalised value (its first 128 bits, as a uuid) is stored beside it for exact lookup and uniqueness, so
the plaintext is never needed to find a person. Both keys derive from
``settings.FIELD_ENCRYPTION_KEY`` (HKDF with distinct labels).
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.dispatch import receiver
from django.test.signals import setting_changed

_PREFIX = "v1:"


def _derive(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret.encode())


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[AESGCM, bytes]:
    return AESGCM(_derive(secret, b"dangqun field encryption")), _derive(secret, b"dangqun lookup hash")


_cache: dict[str, tuple[AESGCM, bytes]] = {}


def _current() -> tuple[AESGCM, bytes]:
    # Imports encrypt 100,000s of values: avoid re-reading lazy settings each time.
    keys = _cache.get("keys")
    if keys is None:
        keys = _cache["keys"] = _keys(settings.FIELD_ENCRYPTION_KEY)
    return keys


@receiver(setting_changed)
def _reset_keys(*, setting, **kwargs) -> None:
    if setting == "FIELD_ENCRYPTION_KEY":
        _cache.clear()


def encrypt(plaintext: str) -> str:
    if not plaintext:
        return ""
    aead, _ = _current()
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, plaintext.encode(), None)
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(_PREFIX):
        raise ValueError("unknown ciphertext version")
    raw = base64.urlsafe_b64decode(token[len(_PREFIX) :])
    aead, _ = _current()
    return aead.decrypt(raw[:12], raw[12:], None).decode()


def lookup_hash(value: str) -> uuid.UUID | None:
    """Keyed hash (BLAKE2b MAC) for exact match, its first 128 bits as a UUID; None for an
    empty value, so empty values never collide.

    128 bits, stored as PostgreSQL's 16-byte uuid, not 256 as 64 hex characters: the
    unique index of a district's ID numbers is a quarter of the size, and each row of an
    import touches one of its pages at random (a 1,600,000-person index of 200 MB
    outgrew the server's buffers; one of 50 MB does not).
    """
    if not value:
        return None
    _, key = _current()
    return uuid.UUID(bytes=hashlib.blake2b(value.encode(), key=key, digest_size=32).digest()[:16])


def mask_id_number(id_number: str) -> str:
    """110105********002X: address code and the last four stay readable."""
    if len(id_number) < 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_phone(phone: str) -> str:
    """138****1234 for mobiles; landlines keep area code and last four digits."""
    digits = phone.strip()
    if len(digits) <= 7:
        return digits[:1] + "*" * max(len(digits) - 1, 0)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
