"""Old and other office formats through LibreOffice headless: .doc, .rtf, .odt -> .docx; .xls -> .xlsx.

Each conversion runs `soffice --headless --convert-to` in a temporary folder of its own, with a
throw-away user profile in that folder (so conversions never share or leave state, and two can
run at once), macros switched off in that profile, and a time limit; the folder is removed
afterwards whatever happens.  The converted bytes are then read by the ordinary .docx / .xlsx
readers, so every format goes through one reader per kind of content.

LibreOffice comes from Debian's packages (`libreoffice-writer-nogui`, `libreoffice-calc-nogui`);
scripts/ci_formats.sh installs them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import CONVERSION_FAILED, CONVERTER_MISSING, IngestError

TIMEOUT_SECONDS = float(os.environ.get("BAOCAO_SOFFICE_TIMEOUT", "120"))
_TARGET = {"doc": "docx", "rtf": "docx", "odt": "docx", "xls": "xlsx"}
_FILTER = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
INSTALL_HINT = "install LibreOffice: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"

# A user profile with macros off: security level "very high" and macro execution disabled.
_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def target_format(fmt: str) -> str:
    return _TARGET[fmt]


def convert(data: bytes, fmt: str, name: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The bytes of `data` (a .doc, .rtf, .odt or .xls) converted to .docx or .xlsx.

    Raises IngestError: converter_missing, conversion_failed.
    """
    exe = soffice()
    if exe is None:
        raise IngestError(CONVERTER_MISSING, f"{name}: reading .{fmt} files needs LibreOffice, which is not installed; {INSTALL_HINT}")
    target = _TARGET[fmt]
    with tempfile.TemporaryDirectory(prefix="baocao-soffice-") as tmp:
        work = Path(tmp)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_XCU, encoding="utf-8")
        src = work / f"input.{fmt}"
        src.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        cmd = [
            exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
            "--nologo", "--nodefault", "--nolockcheck", "--convert-to", _FILTER[target], "--outdir", str(out_dir), str(src),
        ]
        env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"}
        # A session of its own: on a timeout the whole process group (oosplash and soffice.bin) goes.
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=work,
                                start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise IngestError(
                CONVERSION_FAILED, f"{name}: LibreOffice did not convert the .{fmt} file within {timeout:.0f} s; "
                "open it and save it as .docx"
            ) from None
        result = out_dir / f"input.{target}"
        if proc.returncode != 0 or not result.exists() or result.stat().st_size == 0:
            detail = " ".join((stderr or stdout or b"").decode("utf-8", "replace").split())[:120]
            raise IngestError(
                CONVERSION_FAILED,
                f"{name}: LibreOffice could not read the .{fmt} file (damaged, password-protected or not a .{fmt})"
                + (f": {detail}" if detail else ""),
            )
        return result.read_bytes()
