"""The attachment store: photos and documents of meetings, kept once per content.

Files live under ``settings.PRIVATE_MEDIA_ROOT / "partylife"`` (outside the web root),
named by their SHA-256, so the same photo uploaded again — by anyone, for any meeting —
is recognised and reused, never stored twice. Only images and PDF / Office files are
accepted, checked by extension *and* by their first bytes, up to ``MAX_BYTES``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partylife.models import Attachment

MAX_BYTES = 10 * 1024 * 1024

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension → (kind, content type, accepted leading bytes)
TYPES = {
    ".jpg": (Attachment.IMAGE, "image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": (Attachment.IMAGE, "image/jpeg", (b"\xff\xd8\xff",)),
    ".png": (Attachment.IMAGE, "image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": (Attachment.IMAGE, "image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": (Attachment.IMAGE, "image/webp", (b"RIFF",)),
    ".pdf": (Attachment.DOCUMENT, "application/pdf", (b"%PDF-",)),
    ".docx": (
        Attachment.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (_ZIP,),
    ),
    ".xlsx": (Attachment.DOCUMENT, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".pptx": (
        Attachment.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (_ZIP,),
    ),
    ".doc": (Attachment.DOCUMENT, "application/msword", (_OLE,)),
    ".xls": (Attachment.DOCUMENT, "application/vnd.ms-excel", (_OLE,)),
    ".ppt": (Attachment.DOCUMENT, "application/vnd.ms-powerpoint", (_OLE,)),
}
ACCEPT = ",".join(TYPES)


def root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "partylife"


def path_of(attachment: Attachment) -> Path:
    return root() / attachment.storage_name


def _check(name: str, data: bytes) -> tuple[str, str, str]:
    ext = Path(name).suffix.lower()
    if ext not in TYPES:
        raise ValidationError(
            f"“{name}”的文件类型不允许上传，仅限照片（jpg、png、gif、webp）和 PDF、Word、Excel、PowerPoint 文件。"
        )
    if not data:
        raise ValidationError(f"“{name}”是空文件。")
    if len(data) > MAX_BYTES:
        raise ValidationError(f"“{name}”超过 {MAX_BYTES // (1024 * 1024)} MB，无法上传。")
    kind, content_type, magics = TYPES[ext]
    if not any(data.startswith(m) for m in magics) or (ext == ".webp" and data[8:12] != b"WEBP"):
        raise ValidationError(f"“{name}”的内容与扩展名不符，无法上传。")
    return ext, kind, content_type


def store(*, by, name: str, data: bytes) -> tuple[Attachment, bool]:
    """Keep ``data`` (an upload named ``name``); returns the attachment and whether it is new.

    Raises ValidationError (Chinese) for a disallowed type, a mismatched content, an
    empty or oversized file. The same content returns the existing attachment.
    """
    name = Path(name or "附件").name[:200]
    ext, kind, content_type = _check(name, data)
    digest = hashlib.sha256(data).hexdigest()
    existing = Attachment.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    storage_name = f"{digest[:2]}/{digest}{ext}"
    target = root() / storage_name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                sha256=digest,
                name=name,
                kind=kind,
                content_type=content_type,
                size=len(data),
                storage_name=storage_name,
                uploaded_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:  # the same file arrived twice at once
        return Attachment.objects.get(sha256=digest), False
    return attachment, True


def read_upload(upload) -> bytes:
    """The bytes of a Django upload, refusing an oversized one before reading it all."""
    if upload.size > MAX_BYTES:
        raise ValidationError(f"“{upload.name}”超过 {MAX_BYTES // (1024 * 1024)} MB，无法上传。")
    return upload.read()
