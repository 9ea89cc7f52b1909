"""Decode N big photos on N threads in a fresh process and report its memory as JSON.

Run by tests/unit/test_photo_memory.py as `python -m tests.unit.photo_memory_probe N JOBS`; a
process of its own, so the numbers are not those of the test run around it.
"""

from __future__ import annotations

import gc
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

from PIL import Image

from app.services.zelfbeheer.fotos import process_upload
from tests.unit.png_files import uniform_png

SIDE = 6320  # 39.9 megapixels: just under the default limit of 40


def _kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> None:
    """Make VmHWM start again from the current RSS (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def main(count: int, jobs: int) -> dict[str, int]:
    small = BytesIO()
    Image.new("RGBA", (300, 200), "green").save(small, "PNG")
    process_upload(small.getvalue(), jobs=jobs)  # load codecs before measuring
    files = [uniform_png(SIDE, SIDE, seed) for seed in range(count)]
    gc.collect()
    rest = _kb("VmRSS")
    _reset_peak()
    # Worker threads that stay, like the server's thread pool: memory they keep stays kept.
    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(lambda data: process_upload(data, jobs=jobs), files))
        gc.collect()
        after = _kb("VmRSS")
    sizes = sorted({(photo.width, photo.height) for photo in results})
    return {"rest_kb": rest, "peak_kb": _kb("VmHWM"), "after_kb": after,
            "done": len(results), "file_kb": len(files[0]) // 1024,
            "width": sizes[0][0] if len(sizes) == 1 else -1}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
