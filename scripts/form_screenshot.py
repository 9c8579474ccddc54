"""Refresh the staff guide's picture of the proposal form (docs/screenshots/bieu-mau-de-xuat.png).

    python scripts/form_screenshot.py

Makes the form from catalog/ (``aidcatalog form``), fills the first answers of an example proposal
through the form's defined names, prints it to PDF with LibreOffice headless and turns the first
page into a PNG with ``pdftoppm``. Needs LibreOffice Calc (``apt-get install
libreoffice-calc-nogui``) and poppler (``apt-get install poppler-utils``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots" / "bieu-mau-de-xuat.png"
EXAMPLE = {
    "title.vi": "Nâng cấp trạm y tế xã Cao Sơn",
    "summary.vi": "Sửa chữa trạm y tế, bổ sung nước sạch và thiết bị khám chữa bệnh cơ bản cho 4.200 người dân.",
    "sectors.0": "health",
    "sectors.1": "water-sanitation",
    "themes.0": "ethnic-minorities",
    "sdgs.0": 3,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args(argv)
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        print("needs soffice (apt-get install libreoffice-calc-nogui) and pdftoppm (apt-get install poppler-utils)",
              file=sys.stderr)
        return 1

    import openpyxl

    from aidcatalog import form
    from aidcatalog.validate import validate

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cat = validate(ROOT / "catalog").catalogue
        assert cat is not None, "the catalogue has errors: run aidcatalog validate"
        lang = cat.languages.default
        blank = work / "de-xuat.xlsx"
        form.write_form(cat, lang, blank, today=dt.date(2026, 1, 1))
        wb = openpyxl.load_workbook(blank)
        cells = {f.name: f for f in form.fields(cat.languages)}
        for name, value in EXAMPLE.items():
            (sheet, coord), = wb.defined_names[name].destinations
            options = form.choices_for(cat, cells[name], lang)
            wb[sheet][coord.replace("$", "")] = options.label_of(value) if options is not None else value
        wb.save(blank)
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                        "--outdir", str(work), str(blank)], check=True, capture_output=True, timeout=300)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        # The top of the first page: the title, the first section and its drop-downs.
        width, height = int(11.69 * args.dpi), int(5.2 * args.dpi)
        subprocess.run([pdftoppm, "-png", "-r", str(args.dpi), "-f", "1", "-l", "1", "-singlefile",
                        "-x", "0", "-y", "0", "-W", str(width), "-H", str(height),
                        str(work / "de-xuat.pdf"), str(args.out.with_suffix(""))], check=True, timeout=120)
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
