"""Serving a case's files, which are sealed on disk (encrypted at rest, :mod:`core.at_rest`).

Letters and exports are small and answered whole; a recording is streamed chunk by chunk and honours
a single HTTP byte range, so the review page's player can start at any segment without the server
decrypting (or holding) the whole recording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from fastapi import HTTPException, Request, Response
from fastapi.responses import FileResponse, StreamingResponse

from core import at_rest
from core.files import open_private, read_private_bytes

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_PIECE = 256 * 1024


def file_response(path: Path, media_type: str, filename: str | None = None) -> Response:
    """The whole file (decrypted when sealed) as a download or inline page."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else None
    if not at_rest.is_sealed(path):
        return FileResponse(path, media_type=media_type, filename=filename)
    return Response(read_private_bytes(path), media_type=media_type, headers=headers)


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(start, end)`` inclusive for one ``bytes=`` range; ``None`` for the whole file; 416 if unsatisfiable."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None  # several ranges or a malformed header: answer with the whole file (allowed by RFC 9110)
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(size - 1, int(last)) if last else size - 1
    if start >= size or start > end:
        raise HTTPException(416, "Dit deel van het bestand bestaat niet.", headers={"Content-Range": f"bytes */{size}"})
    return start, end


def media_response(path: Path, request: Request, media_type: str) -> Response:
    """A recording, with range requests, whether sealed or not."""
    if not at_rest.is_sealed(path):
        return FileResponse(path, media_type=media_type)
    reader = open_private(path)
    size = reader.seek(0, 2)
    try:
        wanted = _byte_range(request.headers.get("range"), size)
    except HTTPException:
        reader.close()
        raise
    start, end = wanted or (0, size - 1)

    def body() -> Iterator[bytes]:
        with reader:
            reader.seek(start)
            left = end - start + 1
            while left > 0 and (piece := reader.read(min(_PIECE, left))):
                left -= len(piece)
                yield piece

    headers = {"Accept-Ranges": "bytes", "Content-Length": str(end - start + 1)}
    if wanted is None:
        return StreamingResponse(body(), media_type=media_type, headers=headers)
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return StreamingResponse(body(), status_code=206, media_type=media_type, headers=headers)
