"""Regenerate the parts of the staff guide (docs/staff/huong-dan.md) that come from the code.

The guide is written by hand, except the blocks between ``<!-- BEGIN GENERATED: name -->`` and
``<!-- END GENERATED: name -->``: command output, ``--help`` texts, the field tables and the
table of validator messages. Those are made here by running the real commands on a small
example catalogue (the shipped site.yaml and vocabularies, plus one entry written below), so
the guide shows exactly what staff will see and cannot drift: tests/test_staff_guide.py fails
when a block is out of date, the way ``cog --check`` does.

    python scripts/staff_guide.py           # rewrite the generated blocks
    python scripts/staff_guide.py --check   # exit 1 if any block is out of date
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from aidcatalog import languages
from aidcatalog.cli import build_parser, main
from aidcatalog.problems import MESSAGES

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "docs" / "staff" / "huong-dan.md"
CATALOG = REPO / "catalog"
WIDTH = "88"  # argparse wraps --help to $COLUMNS; fixed, so the text is the same everywhere

BLOCK = re.compile(
    r"(?P<begin><!-- BEGIN GENERATED: (?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)"
    r"(?P<end><!-- END GENERATED: (?P=name) -->)",
    re.S,
)

NEW_TITLE = "Nâng cấp trạm y tế xã Đà Bắc"
EXAMPLE_DAY = "2026-11-20"  # stands in for "today" in the template, `stats` and `status` shown in the guide

# A need as staff might first write it: every line is plausible, six are wrong.
BROKEN_NEED = """\
# Nhu cầu: Nước sạch cho các xóm vùng cao xã Cao Sơn (ví dụ có lỗi, dùng trong hướng dẫn)
id: nuoc-sach-cao-son
title:
  vi: Cấp nước sinh hoạt tự chảy cho các xóm vùng cao xã Cao Sơn
sumary:
  vi: Xây bể đầu nguồn và đường ống tự chảy cho 420 hộ người Mường, Dao.
  en: A spring-fed gravity water system for 420 Mường and Dao households.
status: calling
sectors: [water-sanitaton]
themes: [ethnic-minorities]
locations:
  - commune: cao-son
context:
  vi: Mùa khô các xóm phải gánh nước từ suối cách 2 km.
  en: In the dry season families carry water from a stream 2 km away.
objectives:
  - vi: Có nước sạch quanh năm cho 420 hộ.
    en: Safe water all year round for 420 households.
activities:
  - vi: Xây bể đầu nguồn, 6 km đường ống và 12 bể chứa.
    en: Build a spring catchment, 6 km of pipes and 12 storage tanks.
beneficiaries:
  groups: [ethnic-minority-households]
  direct: 1800
  women_share: 51
budget:
  total: 3.200.000.000 đồng
  currency: VND
  requested: 2800000000
duration_months: 18
planned_start: 2027-02-30
proposer: {vi: UBND xã Cao Sơn, en: Cao Sơn Commune People's Committee}
contact:
  name: Xa Văn Hùng
  role: {vi: Chủ tịch UBND xã, en: Chairman of the Commune People's Committee}
  phone: "+84 218 3800 111"
  email: caoson@example.gov.vn
  phone: "0218 3800 111"
last_reviewed: 2026-10-01
"""
BROKEN_PATH = "catalog/needs/water-sanitation/nuoc-sach-cao-son.yaml"

# The same entry once every problem above is put right.
FIXES_APPLIED = (
    ("  vi: Cấp nước sinh hoạt tự chảy cho các xóm vùng cao xã Cao Sơn\n",
     "  vi: Cấp nước sinh hoạt tự chảy cho các xóm vùng cao xã Cao Sơn\n"
     "  en: A gravity-fed water supply for the upland hamlets of Cao Sơn\n"),
    ("sumary:", "summary:"),
    ("[water-sanitaton]", "[water-sanitation]"),
    ("total: 3.200.000.000 đồng", "total: 3200000000"),
    ("2027-02-30", "2027-03-01"),
    ('  phone: "0218 3800 111"\n', ""),
)

# A partner profile as staff would write it; the guide shows it and makes its PDF from it.
PARTNER = """\
id: to-chuc-vi-du
name: Tổ chức Ví dụ (Example Foundation)
language: en                  # ngôn ngữ của tệp PDF gửi đối tác: vi hoặc en
sectors: [water-sanitation, health]
themes: [ethnic-minorities]
places: [da-bac-district]     # mã xã/phường, hoặc mã huyện cũ / tỉnh cũ
budget: {min: 50000, max: 500000, currency: USD}
contact_name: Ms Jane Doe
greeting:
  vi: |
    Kính gửi Quý Tổ chức,

    Sở Ngoại vụ tỉnh Phú Thọ trân trọng gửi Quý Tổ chức các dự án nước sạch và y tế ở vùng Đà Bắc.
  en: |
    Dear colleagues,

    Please find the water and health projects of the Đà Bắc area that we would be glad to discuss.
"""
PARTNER_PATH = "catalog/partners/to-chuc-vi-du.yaml"

# How to fix each kind of problem, in the words staff use. Every code of problems.MESSAGES has one
# (tests/test_staff_guide.py checks it), so a new kind of problem cannot go undocumented.
FIXES: dict[str, str] = {
    "not-utf8": "Tệp được lưu bằng bảng mã cũ (thường do chép từ Word, Excel hoặc lưu bằng Notepad). "
                "Trong VS Code: bấm chữ mã hoá ở thanh dưới cùng → *Save with Encoding* → *UTF-8*. "
                "Trên GitHub: gõ hoặc dán lại đoạn chữ ở dòng được báo.",
    "file-too-large": "Một mục không cần dài như vậy: có thể đã dán nhầm cả văn bản dài hay dữ liệu ảnh vào tệp. "
                      "Ảnh đặt trong `catalog/media/`, trong tệp chỉ ghi tên ảnh.",
    "too-many-files": "Có thể đã chép nhầm cả một thư mục vào `catalog/`. Xoá những tệp không phải mục của danh mục.",
    "empty-file": "Điền nội dung (lệnh `aidcatalog new need` tạo sẵn mẫu) hoặc xoá tệp trống.",
    "yaml-syntax": "Sai cú pháp ở dòng được báo hoặc dòng ngay trên. Hay gặp: thiếu dấu cách sau dấu hai chấm "
                   "(`title:abc`), thụt lề không thẳng hàng, dấu nháy mở mà không đóng. Giá trị có dấu `:` "
                   "hoặc `#` thì đặt trong dấu nháy kép: `role: \"Phó Chủ tịch: phụ trách văn xã\"`.",
    "yaml-tab": "Xoá ký tự Tab, thụt lề bằng dấu cách (2 dấu cách mỗi cấp). Trong VS Code: bấm *Spaces/Tab Size* "
                "ở thanh dưới → *Convert Indentation to Spaces*.",
    "multiple-documents": "Xoá dòng `---` ở giữa tệp; mỗi tệp chỉ một mục. Phần sau dòng đó chuyển sang tệp mới.",
    "forbidden-tag": "Xoá phần bắt đầu bằng `!` hoặc `!!`. Nếu đó là chữ bình thường, đặt cả giá trị trong "
                     "dấu nháy kép.",
    "too-complex": "Không dùng alias YAML (`&ten` và `*ten`); viết thẳng giá trị ra.",
    "too-deep": "Thụt lề sai khiến các dòng lồng vào nhau quá nhiều cấp. So thụt lề với một mục mẫu và sửa lại.",
    "not-mapping": "Tệp phải gồm các dòng `khoá: giá trị` sát lề trái (`id:`, `title:`…). Kiểm tra dòng đầu tiên "
                   "có bị thụt lề hay bắt đầu bằng `-` không.",
    "bad-key": "Tên trường phải là chữ, như `title`. Có thể đã lỡ gõ một con số hay `yes:` ở đầu dòng.",
    "duplicate-key": "Cùng một trường viết hai lần (YAML sẽ âm thầm lấy lần sau). Giữ một lần, gộp nội dung nếu cần.",
    "unknown-field": "Tên trường sai chính tả hoặc không có trong mẫu: sửa theo gợi ý *có phải ý bạn là…*, hoặc xem "
                     "[bảng các trường](#cac-truong-cua-mot-nhu-cau). Một trường thụt lề sai cũng rơi vào nhóm khác "
                     "và bị báo như vậy.",
    "unknown-language": "Mã ngôn ngữ (ví dụ `fr:`) chưa được khai báo trong `languages:` của `catalog/site.yaml`: sửa mã "
                        "cho đúng (`vi`, `en`…) hoặc khai báo ngôn ngữ đó trước.",
    "bad-language": "Sửa khai báo `languages:` trong `catalog/site.yaml` theo thông báo: mỗi mã một lần, ngôn ngữ đầu "
                    "tiên là bắt buộc, ngôn ngữ dự phòng (`fallback`) phải là một ngôn ngữ bắt buộc.",
    "missing-field": "Thêm trường bắt buộc có tên ở đầu thông báo. Bản nháp (`status: draft`) được phép còn thiếu.",
    "missing-translation": "Mỗi đoạn chữ cần cả `vi:` và `en:`. Chưa có bản dịch thì để `status: draft` cho tới "
                           "khi dịch xong.",
    "wrong-type": "Số tiền, số người chỉ ghi chữ số (`3200000000`, không dấu chấm, dấu phẩy hay đơn vị); ngày ghi "
                  "`2027-03-01`, không có dấu nháy; danh sách ghi `[a, b]` hoặc mỗi mục một dòng `- `; đoạn chữ ghi "
                  "`{vi: …, en: …}`.",
    "not-allowed": "Chọn một trong các giá trị mà thông báo liệt kê, viết đúng chính tả, chữ thường.",
    "out-of-range": "Con số hoặc độ dài vượt giới hạn (tỷ lệ nữ quá 100, số tháng bằng 0, tóm tắt quá dài…). "
                    "Sửa theo giới hạn nêu trong thông báo.",
    "bad-format": "Viết lại theo đúng dạng: mã chỉ gồm chữ thường không dấu và gạch ngang (`nuoc-sach-da-bac`); "
                  "thư điện tử dạng `ten@coquan.gov.vn`; địa chỉ web bắt đầu bằng `https://`.",
    "bad-date": "Ngày viết năm-tháng-ngày, tháng và ngày đủ hai chữ số, không có dấu nháy: `2027-03-15` (không viết "
                "`15/03/2027`, `2027-3-15` hay `tháng 3/2027`; chỉ biết tháng thì ghi ngày đầu tháng). Ngày phải có "
                "thật: tháng 2 không có ngày 30. Thông báo ghi sẵn cách viết đúng.",
    "former-unit": "Từ 1/7/2025 không còn cấp huyện và các tỉnh, xã đã sáp nhập, nên mã huyện cũ, tỉnh cũ (ví dụ "
                   "`da-bac-district`) không dùng làm địa bàn được. Thông báo liệt kê các xã, phường hiện nay trên địa "
                   "bàn cũ: ghi mã xã, phường nơi thực hiện dự án.",
    "budget-mismatch": "Số tiền đề nghị cộng vốn đối ứng (tiền mặt và hiện vật) không được lớn hơn tổng kinh phí. "
                       "Kiểm tra lại các con số và đơn vị tiền.",
    "date-order": "Ngày kết thúc (`end`) phải sau ngày bắt đầu (`start`).",
    "funding-exceeds": "Tổng các khoản trong `funding` (mọi giai đoạn, quy đổi theo tỷ giá `usd_to_vnd`) không được lớn "
                       "hơn số tiền đề nghị `budget.requested`. Kiểm tra số tiền, đơn vị tiền, hoặc một khoản bị ghi hai "
                       "lần: khi khoản hứa được cam kết, sửa `stage` của chính khoản đó, không thêm dòng mới.",
    "funding-future": "Chỉ ghi `stage: disbursed` khi tiền đã thực sự được chuyển; ngày giải ngân không thể sau hôm nay. "
                      "Khoản đã ký nhưng chưa chuyển tiền ghi `stage: committed`.",
    "funding-missing": "Trạng thái này (ví dụ `committed`, `implementing`) nghĩa là đã có nhà tài trợ cam kết: ghi khoản đó "
                       "vào `funding` với `stage: committed` (hoặc `disbursed`), hoặc đổi lại trạng thái.",
    "funding-status": "Các khoản đã cam kết đã đủ số tiền đề nghị: đổi `status` sang `committed` (hoặc trạng thái phù "
                      "hợp) để nhu cầu không còn hiện là đang kêu gọi.",
    "contribution-source": "Mỗi khoản tài trợ (hoặc mỗi lần liên hệ) ghi `partner: <mã đối tác>` nếu đối tác có hồ sơ "
                           "trong `catalog/partners/`, nếu không thì ghi `organisation: <tên tổ chức>`; không ghi cả hai.",
    "registration-province": "Địa bàn trong giấy đăng ký (`registration.provinces`) phải có mã tỉnh hiện nay "
                             "(`province_id` trong site.yaml, ví dụ `phu-tho`) hoặc mã tỉnh cũ (`vinh-phuc-province`…). "
                             "Kiểm tra lại mã theo giấy đăng ký.",
    "not-in-vocabulary": "Mã không có trong danh mục dùng chung (`catalog/vocabularies/`). Dùng mã theo gợi ý, hoặc "
                         "tra trong tệp tương ứng. Cần thêm mã mới thì đề nghị người quản trị kho.",
    "duplicate-id": "Hai tệp dùng cùng một `id`. Đặt cho mục mới một mã khác (và đổi tên tệp theo mã đó).",
    "id-mismatch": "Tên tệp phải trùng với `id`: đổi tên tệp thành `<id>.yaml`. Đừng đổi `id` của mục đã đăng, vì "
                   "đường liên kết tới mục đó sẽ hỏng.",
    "unknown-reference": "Mã nhu cầu, mô hình hoặc xã/phường được nhắc tới không tồn tại. Sửa theo gợi ý; mã xã/phường "
                         "tra trong `catalog/vocabularies/localities.yaml`.",
    "unpublished-reference": "Chỉ là cảnh báo: mục được liên kết là bản nháp hoặc đã rút, nên trang không hiện "
                             "liên kết. Không cần sửa nếu đúng ý.",
    "consent-required": "Ảnh và câu trích chỉ được đăng khi người trong ảnh, người nói đã đồng ý. Đã có sự đồng ý thì "
                        "ghi `consent: true`; chưa có thì bỏ ảnh hoặc câu trích đó.",
    "missing-file": "Tải tệp lên `catalog/media/` (GitHub: *Add file* → *Upload files*) và ghi đúng tên tệp, kể cả "
                    "chữ hoa, chữ thường và đuôi `.jpg`.",
    "bad-path": "Ghi đường dẫn tương đối trong `catalog/media/`, ví dụ `tram-y-te-da-bac.jpg`; không dùng `..` hay "
                "đường dẫn trên máy (`C:\\…`).",
    "hidden-character": "Có ký tự vô hình (thường do chép từ Word, PDF hoặc trang web). VS Code tô màu ký tự đó; cách "
                        "chắc nhất là gõ lại đoạn chữ quanh vị trí được báo.",
    "unexpected-file": "Chỉ là cảnh báo: tệp nằm ngoài các thư mục của danh mục nên bị bỏ qua. Chuyển tệp vào đúng "
                       "chỗ (nhu cầu vào `needs/<lĩnh vực>/`, mô hình vào `stories/`).",
    "wrong-folder": "Chỉ là cảnh báo: chuyển tệp vào thư mục của lĩnh vực đầu tiên trong `sectors:` (ví dụ "
                    "`needs/health/`). Trên GitHub: mở sửa tệp và sửa đường dẫn ở ô tên tệp.",
    "missing-catalogue": "Lệnh chạy sai thư mục. Chạy từ thư mục gốc của kho (nơi có thư mục `catalog/`), hoặc ghi "
                         "đường dẫn: `aidcatalog validate duong/dan/catalog`.",
    "invalid": "Giá trị sai theo một quy tắc khác, chi tiết có trong thông báo. Chưa rõ thì gửi nguyên dòng thông báo "
               "cho nhóm kỹ thuật.",
    "bad-character": "Có ký tự mà trang web không đọc được, thường do dán từ Word (Shift+Enter tạo U+2028) hoặc từ tệp "
                     "hỏng. VS Code tô màu ký tự đó; xoá nó và xuống dòng bằng Enter nếu cần.",
    "invisible-character": "Chỉ là cảnh báo: ký tự vô hình (dấu gạch nối mềm, khoảng trắng rộng 0) đã được bỏ khỏi "
                           "đoạn chữ. Xoá nó trong tệp để cảnh báo không hiện nữa.",
    "invisible-in-identifier": "Ký tự vô hình nằm trong địa chỉ thư, địa chỉ web, số điện thoại, mã hay tên trường nên "
                               "giá trị đó không dùng được. Xoá cả giá trị rồi gõ lại bằng tay, đừng dán.",
    "thousands-separator": "Số tiền hay số người viết có dấu chấm ngăn hàng nghìn (`250.000`). Chỉ ghi chữ số liền "
                           "nhau: `250000`.",
    "money-fraction": "Số tiền bằng đồng không có phần lẻ; số tiền USD có tối đa hai chữ số sau dấu chấm. Làm tròn số.",
    "ignored-file": "Tệp nằm trong danh mục nhưng không được đọc: đổi tên thành `ten-muc.yaml` (đuôi viết thường), chép "
                    "nội dung tệp Word/Excel vào một mục .yaml, hoặc xoá tệp tạm.",
    "unreadable": "Máy không đọc được tệp hay thư mục này (thường do quyền truy cập). Nhờ nhóm kỹ thuật sửa quyền; "
                  "trước đó mọi mục bên trong sẽ bị bỏ sót.",
    "media-wrong-type": "Tệp ảnh hay tài liệu mang đuôi không đúng với nội dung (ví dụ PDF đổi tên thành .jpg). Mở "
                        "tệp gốc và lưu lại (Save as) đúng định dạng.",
    "media-file-size": "Tệp quá nặng. Thu nhỏ ảnh (cạnh dài khoảng 2000 điểm ảnh là đủ) hoặc nén tệp PDF.",
    "image-pixels": "Ảnh có quá nhiều điểm ảnh. Thu nhỏ ảnh, cạnh dài khoảng 2000–4000 điểm ảnh là đủ.",
    "media-damaged": "Tệp bị cắt cụt hoặc hỏng (thường do tải lên dở dang). Chép lại tệp gốc vào `catalog/media/`.",
    "self-reference": "Mục tự nhắc đến chính nó trong `related_needs`. Ghi mã của nhu cầu khác, hoặc xoá dòng đó.",
    "insecure-link": "Chỉ là cảnh báo: liên kết bắt đầu bằng http://. Thử mở bằng https://; nếu được thì đổi lại.",
}

HELP_COMMANDS = ("validate", "new", "status", "stats", "pdf", "schema", "fields")


@contextlib.contextmanager
def example_catalogue() -> Iterator[Path]:
    """A working folder holding ``catalog/`` with the shipped site and vocabularies, and no entry."""
    with tempfile.TemporaryDirectory(prefix="huong-dan-") as tmp:
        root = Path(tmp)
        (root / "catalog").mkdir()
        shutil.copy(CATALOG / "site.yaml", root / "catalog" / "site.yaml")
        shutil.copytree(CATALOG / "vocabularies", root / "catalog" / "vocabularies")
        with contextlib.chdir(root):
            yield root


def aidcatalog(*argv: str) -> tuple[int, str]:
    """Run ``aidcatalog`` in-process as staff would, in Vietnamese; (exit status, what it printed)."""
    out = io.StringIO()
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # --help
                code = int(exc.code or 0)
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    return code, out.getvalue().rstrip("\n")


def session(*commands: tuple[str, ...]) -> str:
    """Commands and their output as a terminal shows them, in a fenced block."""
    lines = []
    for argv in commands:
        _, text = aidcatalog(*argv)
        lines.append("$ aidcatalog " + " ".join(_quote(a) for a in argv))
        lines.extend(text.splitlines())
    return "```console\n" + "\n".join(lines) + "\n```\n"


def _quote(arg: str) -> str:
    return f'"{arg}"' if " " in arg else arg


def block_new() -> str:
    with example_catalogue():
        return session(("new", "need", "--sector", "health", "--title", NEW_TITLE))


def block_template() -> str:
    with example_catalogue() as root:
        aidcatalog("new", "need", "--sector", "health", "--id", "ma-cua-muc-moi")
        text = (root / "catalog" / "needs" / "health" / "ma-cua-muc-moi.yaml").read_text(encoding="utf-8")
    today = dt.date.today()
    text = text.replace(today.isoformat(), EXAMPLE_DAY)
    text = text.replace(f"planned_start: {today.year + 1}-", f"planned_start: {int(EXAMPLE_DAY[:4]) + 1}-")
    return "```yaml\n" + text + "```\n"


def block_validate() -> str:
    with example_catalogue() as root:
        clean = session(("validate",))
        path = root / BROKEN_PATH
        path.parent.mkdir(parents=True)
        path.write_text(BROKEN_NEED, encoding="utf-8")
        broken = session(("validate",))
        english = session(("validate", "--lang", "en"))
    return (f"Khi không có lỗi:\n\n{clean}\nKhi có lỗi (tệp `{BROKEN_PATH}` trong ví dụ dưới đây):\n\n{broken}\n"
            f"Cùng kết quả bằng tiếng Anh, để gửi cho người hỗ trợ không đọc tiếng Việt:\n\n{english}")


def fixed_need() -> str:
    text = BROKEN_NEED
    for wrong, right in FIXES_APPLIED:
        assert wrong in text, wrong
        text = text.replace(wrong, right)
    return text


def block_broken_entry() -> str:
    return "```yaml\n" + BROKEN_NEED + "```\n"


def block_fixed() -> str:
    with example_catalogue() as root:
        path = root / BROKEN_PATH
        path.parent.mkdir(parents=True)
        path.write_text(fixed_need(), encoding="utf-8")
        return session(("validate",))


def block_partner() -> str:
    return "```yaml\n" + PARTNER + "```\n"


def block_pdf() -> str:
    with example_catalogue() as root:
        for rel, text in ((BROKEN_PATH, fixed_need()), (PARTNER_PATH, PARTNER)):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        return session(("pdf", "--partner", "to-chuc-vi-du"))


def block_messages() -> str:
    rows = ["| Mã | Thông báo | Cách sửa |", "|---|---|---|"]
    staff = languages.from_site_file(CATALOG / "site.yaml").default  # the guide is in the staff's language
    for code, english in MESSAGES.items():
        words = languages.gettext(f"problem.{code}", staff, english)
        rows.append(f"| `{code}` | {_cell(_template_words(words))} | {_cell(FIXES[code])} |")
    return "\n".join(rows) + "\n"


def _template_words(template: str) -> str:
    """A message template as a reader sees it: optional hints dropped, other blanks as `…`."""
    text = re.sub(r"\{(hint|hint_vi)\}", "", template)
    return re.sub(r"\{[a-z_]+\}", "…", text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def block_fields(kind: str) -> Callable[[], str]:
    def make() -> str:
        return aidcatalog("fields", kind, "--lang", "vi")[1] + "\n"
    return make


def block_vocabulary(name: str) -> Callable[[], str]:
    """The ids staff type, with their Vietnamese names, read from ``catalog/vocabularies/<name>.yaml``."""
    def make() -> str:
        data = yaml.safe_load((CATALOG / "vocabularies" / f"{name}.yaml").read_text(encoding="utf-8"))
        statuses = name == "statuses"
        head = "| Mã | Tên | Ý nghĩa |" + (" Đăng lên trang |" if statuses else "")
        rows = [head, "|---|---|---|" + ("---|" if statuses else "")]
        for item in data["items"]:
            meaning = (item.get("description") or {}).get("vi", "")
            row = f"| `{item['id']}` | {_cell(item['name']['vi'])} | {_cell(meaning)} |"
            if statuses:
                row += " có |" if item.get("published") else " không |"
            rows.append(row)
        return "\n".join(rows) + "\n"
    return make


def shipped(*argv: str) -> str:
    """A command run over the shipped catalogue from the repository's root, as staff type it, on EXAMPLE_DAY
    (its hidden ``--today``): what is overdue depends on the day, the guide must not."""
    with contextlib.chdir(REPO):
        _, text = aidcatalog(*argv, "--today", EXAMPLE_DAY)
    return "```console\n$ aidcatalog " + " ".join(argv) + "\n" + text + "\n```\n"


def block_stats() -> str:
    return shipped("stats")


def block_status() -> str:
    return shipped("status")


def block_help() -> str:
    parts = []
    commands = registered_commands()
    for name in HELP_COMMANDS:
        if name in commands:
            text = aidcatalog(name, "--help")[1]
            parts.append(f"<details><summary><code>aidcatalog {name}</code></summary>\n\n```text\n{text}\n```\n\n"
                         "</details>\n")
    return "\n".join(parts)


def registered_commands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


BLOCKS: dict[str, Callable[[], str]] = {
    "new-need": block_new,
    "template": block_template,
    "validate": block_validate,
    "broken-entry": block_broken_entry,
    "fixed": block_fixed,
    "partner-example": block_partner,
    "pdf-partner": block_pdf,
    "stats": block_stats,
    "status": block_status,
    "messages": block_messages,
    "sectors": block_vocabulary("sectors"),
    "statuses": block_vocabulary("statuses"),
    "themes": block_vocabulary("themes"),
    "beneficiary-groups": block_vocabulary("beneficiary_groups"),
    "modalities": block_vocabulary("modalities"),
    "fields-need": block_fields("need"),
    "fields-story": block_fields("story"),
    "fields-partner": block_fields("partner"),
    "help": block_help,
}


def render(text: str) -> str:
    """``text`` with every generated block made afresh; every block must be present exactly once."""
    found = [m["name"] for m in BLOCK.finditer(text)]
    missing, unknown = set(BLOCKS) - set(found), set(found) - set(BLOCKS)
    if missing or unknown or len(found) != len(set(found)):
        raise SystemExit(f"{GUIDE}: generated blocks missing {sorted(missing)}, unknown {sorted(unknown)}, "
                         f"or repeated: {found}")
    made = {name: make() for name, make in BLOCKS.items()}
    return BLOCK.sub(lambda m: m["begin"] + made[m["name"]] + m["end"], text)


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the guide is out of date; change nothing")
    args = parser.parse_args(argv)
    text = GUIDE.read_text(encoding="utf-8")
    fresh = render(text)
    if fresh == text:
        return 0
    if args.check:
        print(f"{GUIDE.relative_to(REPO)} is out of date: run `python scripts/staff_guide.py`", file=sys.stderr)
        return 1
    GUIDE.write_text(fresh, encoding="utf-8")
    print(f"updated {GUIDE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
