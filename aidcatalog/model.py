"""The catalogue's schema, declared once.

Every entry file under ``catalog/`` is checked against these classes. The same classes give
the JSON Schema that editors use (``aidcatalog schema``) and the field reference in the
staff guide (``aidcatalog fields``). A field's description is written twice: in Vietnamese
(what staff read on hover in VS Code) and in English.

Values that come from a vocabulary (sectors, themes, statuses, places…) are plain strings
here; :mod:`aidcatalog.validate` checks them against the vocabulary files, which are data.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, ValidationInfo, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from . import languages

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def doc(vi: str, en: str, *, vocabulary: str | None = None, **kwargs: Any) -> Any:
    """A field with its description in both languages (vi for editors, en beside it).

    ``vocabulary`` names what the value refers to: a vocabulary file (``sectors``…), ``places``
    (communes and former units), or another kind of entry (``need``, ``story``).
    """
    extra = dict(kwargs.pop("json_schema_extra", None) or {})
    extra["x-description-en"] = en
    extra["x-description-vi"] = vi
    if vocabulary:
        extra["x-vocabulary"] = vocabulary
    return Field(description=vi, json_schema_extra=extra, **kwargs)


class Strict(BaseModel):
    """Base for every part of an entry: unknown keys are errors, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$", max_length=200)]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 .()-]{6,20}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=500)]
class Kind:
    """Marks what a number means, for checks the type alone cannot make (see :func:`kind_of`)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"


MONEY = Kind("money")
Money = Annotated[float, Field(ge=0, le=1e13), MONEY]
"""An amount of money: whole đồng, or dollars with at most two decimals (checked by the validator)."""
Measure = Annotated[float, Field(ge=0, le=1e13)]
"""A measured quantity (a baseline, a target): may have decimals."""
Share = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0, le=50_000_000)]
MediaPath = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*\.(jpe?g|png|webp|pdf)$", max_length=200),
]


class Text(BaseModel):
    """A text a reader sees: one entry per declared language (``catalog/site.yaml``, ``languages``).

    ``{vi: …, en: …}``. Every *required* language must have its text; an optional one may be
    missing (the site then shows the fallback language's text, marked as such); a code that is
    not declared is an error. Read it with :func:`aidcatalog.languages.text`, not by attribute.
    """

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)
    MAX_LENGTH: ClassVar[int] = 20_000

    @model_validator(mode="wrap")
    @classmethod
    def _languages(cls, data: Any, handler: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict):
            return handler(data)  # pydantic's own type error: a mapping is expected
        declared = languages.for_validation(info.context)
        errors: list[InitErrorDetails] = []
        fields = cls.model_fields
        for code, value in data.items():
            if code in fields:
                continue
            if code not in declared:
                errors.append(InitErrorDetails(type=PydanticCustomError(
                    "unknown-language", "language not declared", {"code": str(code), "declared": ", ".join(declared.codes)}),
                    loc=(str(code),), input=value))
            elif not isinstance(value, str):
                errors.append(InitErrorDetails(type="string_type", loc=(code,), input=value))
            elif len(value) > cls.MAX_LENGTH:
                errors.append(InitErrorDetails(type="string_too_long", loc=(code,), input=value,
                                               ctx={"max_length": cls.MAX_LENGTH}))
        for lang in declared.required:
            value = data.get(lang.code)
            if lang.code not in fields and (value is None or value == ""):  # another type: its type error says it
                errors.append(InitErrorDetails(type=PydanticCustomError(
                    "missing-translation", "missing text", {"code": lang.code}), loc=(lang.code,), input=data))
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return handler({k: v for k, v in data.items() if k in fields or (isinstance(v, str) and v)})

    def get(self, code: str) -> str | None:
        return (self.__pydantic_extra__ or {}).get(code)

    def items(self) -> list[tuple[str, str]]:
        return list((self.__pydantic_extra__ or {}).items())

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        """Editors see one property per declared language (tuned again per catalogue by schema.py)."""
        declared = languages.active()
        return {
            "type": "object",
            "title": cls.__name__,
            "properties": {lang.code: {"type": "string", "minLength": 1, "maxLength": cls.MAX_LENGTH,
                                       "description": lang.name} for lang in declared},
            "required": [lang.code for lang in declared.required],
            "additionalProperties": False,
        }


class ShortText(Text):
    """A short text (a title, a name, a caption), in every declared language."""

    MAX_LENGTH: ClassVar[int] = 300


class Point(Strict):
    lat: float = doc("Vĩ độ (độ thập phân).", "Latitude (decimal degrees).", ge=20.0, le=22.5)
    lon: float = doc("Kinh độ (độ thập phân).", "Longitude (decimal degrees).", ge=104.0, le=106.5)


class Location(Strict):
    commune: str = doc(
        "Mã xã/phường trong danh mục địa bàn (catalog/vocabularies/localities.yaml), ví dụ `viet-tri`.",
        "Commune or ward id from the localities vocabulary, e.g. `viet-tri`.",
        vocabulary="localities",
    )
    detail: ShortText | None = doc(
        "Thôn, bản, khu hoặc cơ sở cụ thể (không bắt buộc).",
        "Village, hamlet or facility (optional).",
        default=None,
    )
    point: Point | None = doc("Toạ độ (không bắt buộc).", "Coordinates (optional).", default=None)


class Counterpart(Strict):
    cash: Money = doc("Vốn đối ứng bằng tiền.", "Counterpart funding in cash.", default=0)
    in_kind: Money = doc(
        "Vốn đối ứng bằng hiện vật, công lao động (quy ra tiền).",
        "Counterpart funding in kind (labour, land, materials), valued.",
        default=0,
    )
    source: ShortText | None = doc(
        "Nguồn vốn đối ứng (ngân sách tỉnh, xã, người dân…).",
        "Where the counterpart funding comes from.",
        default=None,
    )


class Budget(Strict):
    total: Money = doc(
        "Tổng kinh phí dự án (số, không có dấu phẩy hay đơn vị).", "Total project cost (a number, no commas or units).", gt=0
    )
    currency: Literal["VND", "USD"] = doc("Đơn vị tiền tệ: VND hoặc USD.", "Currency: VND or USD.")
    requested: Money = doc("Số tiền đề nghị nhà tài trợ hỗ trợ.", "Amount requested from donors.", gt=0)
    counterpart: Counterpart | None = doc("Vốn đối ứng của địa phương.", "Local counterpart funding.", default=None)

    @model_validator(mode="after")
    def _parts_fit(self) -> Budget:
        counterpart = self.counterpart or Counterpart()
        if self.requested > self.total:
            raise PydanticCustomError("budget-mismatch", "requested is more than total")
        if self.requested + counterpart.cash + counterpart.in_kind > self.total * 1.0001:
            raise PydanticCustomError("budget-mismatch", "requested + counterpart is more than total")
        return self


class Contact(Strict):
    name: str = doc("Họ tên người liên hệ.", "Contact person's name.", min_length=2, max_length=120)
    role: ShortText = doc("Chức vụ, đơn vị.", "Position and organisation.")
    email: Email = doc("Thư điện tử.", "E-mail address.")
    phone: Phone | None = doc("Số điện thoại (có mã vùng).", "Phone number.", default=None)


class Result(Strict):
    indicator: ShortText = doc("Chỉ số kết quả.", "Result indicator.")
    baseline: Measure | None = doc("Giá trị hiện tại (trước dự án).", "Baseline (before the project).", default=None)
    target: Measure = doc("Giá trị mục tiêu.", "Target value.")
    unit: ShortText = doc("Đơn vị tính.", "Unit of measure.")


class Beneficiaries(Strict):
    groups: list[str] = doc(
        "Nhóm đối tượng hưởng lợi (mã trong beneficiary_groups.yaml).",
        "Beneficiary groups (ids from beneficiary_groups.yaml).",
        vocabulary="beneficiary_groups",
        min_length=1,
    )
    direct: Count = doc("Số người hưởng lợi trực tiếp.", "Number of direct beneficiaries.")
    indirect: Count = doc("Số người hưởng lợi gián tiếp.", "Number of indirect beneficiaries.", default=0)
    women_share: Share | None = doc(
        "Tỷ lệ nữ trong số người hưởng lợi trực tiếp (%).",
        "Share of women among direct beneficiaries (%).",
        default=None,
    )
    description: Text | None = doc("Mô tả thêm.", "More about who benefits.", default=None)


class PolicyMarkers(Strict):
    """Significance 0 (not targeted), 1 (significant) or 2 (principal objective), as in IATI."""

    gender: Literal[0, 1, 2] = doc("Bình đẳng giới.", "Gender equality.", default=0)
    climate_adaptation: Literal[0, 1, 2] = doc("Thích ứng biến đổi khí hậu.", "Climate adaptation.", default=0)
    climate_mitigation: Literal[0, 1, 2] = doc("Giảm nhẹ phát thải.", "Climate mitigation.", default=0)
    disability: Literal[0, 1, 2] = doc("Người khuyết tật.", "Disability inclusion.", default=0)
    disaster_risk_reduction: Literal[0, 1, 2] = doc("Giảm nhẹ rủi ro thiên tai.", "Disaster risk reduction.", default=0)


class Readiness(Strict):
    concept_note: bool = doc("Đã có đề cương dự án.", "A concept note is ready.", default=False)
    feasibility_study: bool = doc("Đã có báo cáo khảo sát, nghiên cứu khả thi.", "A feasibility study exists.", default=False)
    site_available: bool = doc("Đã có mặt bằng.", "The site is available.", default=False)
    local_approval: bool = doc("Đã được cấp có thẩm quyền đồng ý chủ trương.", "Approved in principle locally.", default=False)


class Photo(Strict):
    file: MediaPath = doc("Đường dẫn ảnh trong thư mục catalog/media/.", "Image path inside catalog/media/.")
    caption: ShortText = doc("Chú thích ảnh.", "Caption.")
    credit: str = doc("Tác giả, nguồn ảnh.", "Photographer or source.", min_length=2, max_length=120)
    consent: bool = doc(
        "Những người trong ảnh đã đồng ý cho đăng (bắt buộc là true).",
        "People shown agreed to publication (must be true).",
    )


class Document(Strict):
    title: ShortText = doc("Tên tài liệu.", "Document title.")
    file: MediaPath | None = doc("Tệp trong catalog/media/.", "File inside catalog/media/.", default=None)
    url: Url | None = doc("Hoặc địa chỉ web.", "Or a web address.", default=None)


STAGES = ("pledged", "committed", "disbursed")
"""Stages of a contribution, in order: promised, agreed in writing, paid out."""
COMMITTED_STAGES = ("committed", "disbursed")
"""Stages that count as money committed (a disbursement was committed first)."""


class Contribution(Strict):
    """Money a partner or another organisation pledged, committed or disbursed for a need (public)."""

    partner: Slug | None = doc(
        "Đối tác (mã trong catalog/partners/); hoặc ghi `organisation`.",
        "Partner id (catalog/partners/); or give `organisation` instead.",
        vocabulary="partner", default=None,
    )
    organisation: str | None = doc(
        "Tên tổ chức tài trợ khi chưa có hồ sơ đối tác.", "The funder's name, when it has no partner file.",
        default=None, min_length=2, max_length=200,
    )
    amount: Money = doc("Số tiền.", "Amount.", gt=0)
    currency: Literal["VND", "USD"] = doc("Đơn vị tiền tệ: VND hoặc USD.", "Currency: VND or USD.")
    date: dt.date = doc(
        "Ngày của giai đoạn hiện tại: ngày hứa, ngày ký cam kết hoặc ngày giải ngân (YYYY-MM-DD).",
        "Date of the current stage: pledged, committed in writing, or disbursed (YYYY-MM-DD).",
    )
    stage: Literal["pledged", "committed", "disbursed"] = doc(
        "Giai đoạn: `pledged` (hứa tài trợ), `committed` (đã cam kết bằng văn bản), `disbursed` (đã giải ngân).",
        "Stage: `pledged`, `committed` (in writing) or `disbursed` (paid out).",
    )


class Need(Strict):
    """A project need: an item the province seeks funding for."""

    id: Slug = doc(
        "Mã định danh, chữ thường không dấu nối bằng gạch ngang; không đổi sau khi đăng.",
        "Identifier: lower-case ASCII words joined by hyphens; never changes once published.",
    )
    title: ShortText = doc("Tên dự án.", "Project title.")
    summary: Text = doc("Tóm tắt 2–3 câu.", "Summary in 2–3 sentences.")
    status: str = doc(
        "Trạng thái (mã trong statuses.yaml), ví dụ `calling`.", "Status id from statuses.yaml.", vocabulary="statuses"
    )
    sectors: list[str] = doc(
        "Lĩnh vực (mã trong sectors.yaml).", "Sector ids from sectors.yaml.", vocabulary="sectors", min_length=1, max_length=4
    )
    themes: list[str] = doc("Chủ đề (mã trong themes.yaml).", "Theme ids from themes.yaml.", vocabulary="themes", default=[])
    sdgs: list[Annotated[int, Field(ge=1, le=17)]] = doc(
        "Mục tiêu phát triển bền vững (số từ 1 đến 17).", "Sustainable Development Goals (1–17).", default=[]
    )
    policy_markers: PolicyMarkers = doc("Chỉ dấu chính sách.", "Policy markers.", default=PolicyMarkers())
    locations: list[Location] = doc("Địa bàn thực hiện.", "Where the project takes place.", min_length=1)
    context: Text = doc("Sự cần thiết: thực trạng và vấn đề (Markdown).", "Context: the problem and the need (Markdown).")
    objectives: list[Text] = doc("Mục tiêu.", "Objectives.", min_length=1)
    activities: list[Text] = doc("Hoạt động chính.", "Main activities.", min_length=1)
    expected_results: list[Result] = doc("Kết quả dự kiến.", "Expected results.", default=[])
    beneficiaries: Beneficiaries = doc("Đối tượng hưởng lợi.", "Who benefits.")
    budget: Budget = doc("Kinh phí.", "Budget.")
    funding: list[Contribution] = doc(
        "Các khoản tài trợ đã hứa, đã cam kết, đã giải ngân (công khai: thanh tiến độ trên trang web và PDF).",
        "Contributions pledged, committed or disbursed (public: the progress bar on the site and in the PDFs).",
        default=[], max_length=50,
    )
    duration_months: int = doc("Thời gian thực hiện (tháng).", "Duration in months.", ge=1, le=120)
    planned_start: dt.date | None = doc("Dự kiến khởi công (YYYY-MM-DD).", "Planned start (YYYY-MM-DD).", default=None)
    modality: str = doc(
        "Hình thức viện trợ (mã trong modalities.yaml).", "Aid modality id.", vocabulary="modalities", default="project"
    )
    proposer: ShortText = doc("Cơ quan đề xuất.", "Proposing agency.")
    owner: ShortText | None = doc("Chủ dự án.", "Project owner.", default=None)
    contact: Contact = doc("Người liên hệ.", "Contact person.")
    readiness: Readiness = doc("Mức độ sẵn sàng.", "Readiness.", default=Readiness())
    photos: list[Photo] = doc("Ảnh.", "Photos.", default=[], max_length=12)
    documents: list[Document] = doc("Tài liệu kèm theo.", "Attached documents.", default=[], max_length=20)
    related_stories: list[Slug] = doc(
        "Mô hình thành công liên quan (mã).", "Related model projects (ids).", vocabulary="story", default=[]
    )
    related_needs: list[Slug] = doc("Nhu cầu liên quan (mã).", "Related needs (ids).", vocabulary="need", default=[])
    featured: bool = doc("Giới thiệu trên trang chủ.", "Show on the home page.", default=False)
    last_reviewed: dt.date = doc("Ngày rà soát gần nhất (YYYY-MM-DD).", "Date last reviewed (YYYY-MM-DD).")


class Donor(Strict):
    name: str = doc("Tên nhà tài trợ.", "Donor's name.", min_length=2, max_length=200)
    country: ShortText | None = doc("Quốc gia.", "Country.", default=None)
    url: Url | None = doc("Trang web.", "Website.", default=None)


class Period(Strict):
    start: dt.date = doc("Bắt đầu.", "Start.")
    end: dt.date = doc("Kết thúc.", "End.")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise PydanticCustomError("bad-date", "end is before start")
        return self


class Value(Strict):
    amount: Money = doc("Tổng giá trị.", "Total value.", gt=0)
    currency: Literal["VND", "USD"] = doc("Đơn vị tiền tệ.", "Currency.")


class Outcome(Strict):
    indicator: ShortText = doc("Chỉ số.", "Indicator.")
    unit: ShortText = doc("Đơn vị tính.", "Unit.")
    baseline: Measure | None = doc("Giá trị ban đầu.", "Baseline.", default=None)
    target: Measure | None = doc("Mục tiêu.", "Target.", default=None)
    actual: Measure = doc("Kết quả đạt được.", "Achieved.")
    year: int = doc("Năm đo.", "Year measured.", ge=1990, le=2100)
    source: ShortText | None = doc("Nguồn số liệu.", "Source of the figure.", default=None)


class Quote(Strict):
    text: Text = doc("Lời trích dẫn.", "The quote.")
    author: str = doc("Người nói.", "Who said it.", min_length=2, max_length=120)
    role: ShortText | None = doc("Vai trò.", "Their role.", default=None)
    consent: bool = doc("Đã đồng ý cho trích dẫn (bắt buộc là true).", "Agreed to be quoted (must be true).")


class Narrative(Strict):
    problem: Text = doc("Vấn đề ban đầu (Markdown).", "The problem (Markdown).")
    intervention: Text = doc("Dự án đã làm gì (Markdown).", "What the project did (Markdown).")
    change: Text = doc("Thay đổi mang lại (Markdown).", "The change it brought (Markdown).")


class Story(Strict):
    """A model project carried out successfully in the province."""

    id: Slug = doc("Mã định danh.", "Identifier.")
    title: ShortText = doc("Tên mô hình.", "Title.")
    summary: Text = doc("Tóm tắt.", "Summary.")
    draft: bool = doc("Bản nháp: chưa đăng.", "Draft: not published.", default=False)
    sectors: list[str] = doc("Lĩnh vực.", "Sector ids.", vocabulary="sectors", min_length=1, max_length=4)
    themes: list[str] = doc("Chủ đề.", "Theme ids.", vocabulary="themes", default=[])
    sdgs: list[Annotated[int, Field(ge=1, le=17)]] = doc("SDG (1–17).", "SDGs (1–17).", default=[])
    locations: list[Location] = doc("Địa bàn.", "Where.", min_length=1)
    story: Narrative = doc("Câu chuyện.", "The story.")
    donors: list[Donor] = doc("Nhà tài trợ.", "Donors.", min_length=1)
    local_partner: ShortText = doc("Đối tác địa phương.", "Local partner.")
    period: Period = doc("Thời gian thực hiện.", "Period.")
    value: Value = doc("Giá trị viện trợ.", "Value of the aid.")
    results: list[Outcome] = doc("Kết quả (có số liệu).", "Results with figures.", default=[])
    beneficiaries_reached: Count = doc("Số người đã hưởng lợi.", "People reached.")
    quotes: list[Quote] = doc("Trích dẫn.", "Quotes.", default=[])
    photos: list[Photo] = doc("Ảnh.", "Photos.", default=[], max_length=12)
    lessons: list[Text] = doc("Bài học để nhân rộng.", "Lessons for replication.", default=[])
    scale_up_needs: list[Slug] = doc(
        "Nhu cầu có thể nhân rộng từ mô hình (mã).", "Needs that scale it up (ids).", vocabulary="need", default=[]
    )
    featured: bool = doc("Giới thiệu trên trang chủ.", "Show on the home page.", default=False)
    last_reviewed: dt.date = doc("Ngày rà soát gần nhất.", "Date last reviewed.")


class BudgetRange(Strict):
    min: Money = doc("Tối thiểu.", "Minimum.", default=0)
    max: Money | None = doc("Tối đa.", "Maximum.", default=None)
    currency: Literal["VND", "USD"] = doc("Đơn vị tiền tệ.", "Currency.", default="USD")


class Registration(Strict):
    """A partner's registration in Viet Nam under Decree 58/2022/NĐ-CP: where and in what it may work."""

    kind: Literal["operation", "project-office", "representative-office"] = doc(
        "Loại giấy: `operation` (Giấy đăng ký hoạt động), `project-office` (lập Văn phòng dự án), "
        "`representative-office` (lập Văn phòng đại diện).",
        "Kind: operation registration, project office or representative office.",
        default="operation",
    )
    number: str = doc("Số giấy đăng ký.", "Registration number.", min_length=2, max_length=60)
    issued_by: str = doc("Cơ quan cấp.", "Issuing body.", min_length=2, max_length=200)
    valid_from: dt.date = doc("Có hiệu lực từ ngày (YYYY-MM-DD).", "Valid from (YYYY-MM-DD).")
    valid_until: dt.date = doc("Hết hiệu lực ngày (YYYY-MM-DD).", "Valid until (YYYY-MM-DD).")
    provinces: list[Slug] = doc(
        "Địa bàn hoạt động ghi trong giấy: mã tỉnh hiện nay (`province_id` trong site.yaml) hoặc mã tỉnh cũ "
        "(`vinh-phuc-province`…); tỉnh khác ghi mã không dấu (`ha-noi`).",
        "Provinces on the registration: today's province (`province_id` in site.yaml) or a former one "
        "(`vinh-phuc-province`…); other provinces by an ASCII id (`ha-noi`).",
        min_length=1, max_length=70,
    )
    sectors: list[str] = doc(
        "Lĩnh vực hoạt động ghi trong giấy (mã trong sectors.yaml).", "Sectors on the registration (sector ids).",
        vocabulary="sectors", min_length=1,
    )


class Partner(Strict):
    """A partner's interests, for a catalogue tailored to them."""

    id: Slug = doc("Mã đối tác.", "Partner id.")
    name: str = doc("Tên đối tác.", "Partner's name.", min_length=2, max_length=200)
    language: str | None = doc(
        "Ngôn ngữ của catalogue gửi đối tác (mã trong `languages` của site.yaml); mặc định là ngôn ngữ dự phòng.",
        "Language of their catalogue (a code declared in site.yaml); default: the fallback language.",
        vocabulary="languages",
        default=None,
    )
    sectors: list[str] = doc("Lĩnh vực quan tâm.", "Sectors of interest.", vocabulary="sectors", default=[])
    themes: list[str] = doc("Chủ đề quan tâm.", "Themes of interest.", vocabulary="themes", default=[])
    places: list[str] = doc(
        "Địa bàn quan tâm: mã xã/phường hoặc mã huyện cũ/tỉnh cũ.",
        "Places of interest: commune ids, or former district/province ids.",
        vocabulary="places",
        default=[],
    )
    budget: BudgetRange | None = doc("Khoảng kinh phí.", "Budget range.", default=None)
    greeting: Text | None = doc("Thư ngỏ đầu catalogue (Markdown).", "Cover letter (Markdown).", default=None)
    contact_name: str | None = doc("Người nhận.", "Addressee.", default=None)
    reference: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = doc(
        "Số công văn của thư ngỏ, ví dụ `125/SNgV-HTQT`.", "The cover letter's reference number.", default=None)
    registration: Registration | None = doc(
        "Giấy đăng ký hoạt động tại Việt Nam theo Nghị định 58/2022/NĐ-CP.",
        "Registration in Viet Nam under Decree 58/2022/NĐ-CP.",
        default=None,
    )


CONTACT_KINDS = ("catalogue-sent", "meeting", "field-visit", "proposal-requested", "pledge", "other")


class ContactRecord(Strict):
    """One contact with a partner, as the department logs it (internal: never published)."""

    date: dt.date = doc("Ngày (YYYY-MM-DD).", "Date (YYYY-MM-DD).")
    partner: Slug | None = doc(
        "Đối tác (mã trong catalog/partners/); trong hồ sơ đối tác có thể bỏ trống.",
        "Partner id; may be left out in the partner's own file.", vocabulary="partner", default=None,
    )
    organisation: str | None = doc("Hoặc tên tổ chức chưa có hồ sơ đối tác.", "Or an organisation without a partner file.",
                                   default=None, min_length=2, max_length=200)
    need: Slug | None = doc("Nhu cầu liên quan (mã), trong hồ sơ đối tác.", "The need it was about (id), in a partner's file.",
                            vocabulary="need", default=None)
    kind: Literal["catalogue-sent", "meeting", "field-visit", "proposal-requested", "pledge", "other"] = doc(
        "Việc gì: `catalogue-sent` (gửi danh mục), `meeting` (gặp làm việc), `field-visit` (khảo sát thực địa), "
        "`proposal-requested` (đối tác đề nghị gửi đề xuất), `pledge` (đối tác hứa tài trợ), `other`.",
        "What: catalogue sent, meeting, field visit, proposal requested, pledge, or other.",
    )
    note: str = doc("Nội dung, kết quả.", "What happened.", min_length=2, max_length=2000)
    by: str | None = doc("Cán bộ thực hiện.", "Staff member.", default=None, max_length=120)
    next_step: str | None = doc("Việc tiếp theo.", "Next step.", default=None, min_length=2, max_length=500)
    next_date: dt.date | None = doc("Hạn của việc tiếp theo (YYYY-MM-DD).", "When the next step is due.", default=None)


class NeedInternal(Strict):
    """The department's own records about a need (``internal:``): never on the site, in a PDF or in the data."""

    notes: str | None = doc("Ghi chú nội bộ.", "Staff notes.", default=None, max_length=5000)
    contacts: list[ContactRecord] = doc("Nhật ký liên hệ với đối tác về nhu cầu này.", "Contacts about this need.",
                                        default=[], max_length=500)


class PartnerInternal(Strict):
    """The department's own records about a partner (``internal:``): never published."""

    notes: str | None = doc("Ghi chú nội bộ.", "Staff notes.", default=None, max_length=5000)
    staff: str | None = doc("Cán bộ phụ trách đối tác.", "Staff member in charge of the partner.", default=None,
                            max_length=120)
    contacts: list[ContactRecord] = doc("Nhật ký liên hệ với đối tác.", "Log of contacts with the partner.",
                                        default=[], max_length=500)


INTERNAL: dict[str, type[Strict]] = {"need": NeedInternal, "partner": PartnerInternal}
"""Kinds of entry that may carry an ``internal:`` block, and its schema. The block is split off when a
file is read (:mod:`aidcatalog.validate`): the public classes above have no such field."""


class LanguageDecl(Strict):
    """A language of the catalogue (``catalog/site.yaml``, ``languages``)."""

    code: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = doc(
        "Mã ngôn ngữ ISO 639 (chữ thường), ví dụ `fr`.", "ISO 639 language code (lower case), e.g. `fr`."
    )
    name: str = doc("Tên ngôn ngữ viết bằng chính ngôn ngữ đó.", "The language's own name for itself.",
                    min_length=1, max_length=60)
    required: bool = doc(
        "Bắt buộc: mọi nội dung phải có bản ngôn ngữ này.", "Required: every text must exist in this language.",
        default=True,
    )
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")] | None = doc(
        "Quy ước số, tiền, ngày (CLDR), ví dụ `en_GB`; mặc định theo mã.", "CLDR locale for numbers, money and dates.",
        default=None,
    )
    fallback: str | None = doc(
        "Ngôn ngữ thay thế khi thiếu bản dịch (chỉ cho ngôn ngữ không bắt buộc; mặc định `en`).",
        "Language shown when a text is missing (optional languages only; default `en`).",
        default=None,
    )


class Office(Strict):
    name: ShortText = doc("Tên cơ quan.", "Office name.")
    address: ShortText = doc("Địa chỉ.", "Address.")
    email: Email = doc("Thư điện tử.", "E-mail.")
    phone: Phone = doc("Điện thoại.", "Phone.")
    website: Url | None = doc("Trang web.", "Website.", default=None)


class Signatory(Strict):
    """Who signs the letters to partners, as an official letter of the department names them."""

    name: Annotated[str, StringConstraints(min_length=2, max_length=120)] = doc("Họ và tên người ký.", "Name.")
    title: ShortText = doc("Chức vụ, ví dụ Giám đốc Sở.", "Title, e.g. Director.")
    reference_prefix: Annotated[str, StringConstraints(max_length=40)] | None = doc(
        "Phần sau số hiệu công văn, ví dụ `SNgV-HTQT`.", "What follows a letter's number, e.g. `SNgV-HTQT`.",
        default=None)


class Fact(Strict):
    label: ShortText = doc("Nhãn.", "Label.")
    value: ShortText = doc("Giá trị.", "Value.")


class Licence(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.+-]{2,40}$")] = doc(
        "Mã SPDX của giấy phép, ví dụ `CC-BY-4.0`.", "SPDX identifier of the licence, e.g. `CC-BY-4.0`."
    )
    name: str = doc("Tên giấy phép.", "Licence name.", min_length=2, max_length=120)
    url: Url = doc("Địa chỉ văn bản giấy phép.", "Where the licence is published.")


class OpenData(Strict):
    """What the open-data files (``data/``) say about themselves: their licence and the IATI publisher."""

    licence: Licence = doc("Giấy phép của dữ liệu mở.", "Licence of the open data.")
    iati_org: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)+$", max_length=60)] = doc(
        "Mã tổ chức báo cáo IATI của cơ quan đầu mối (tiền tố của mã mỗi hoạt động), ví dụ `XI-IATI-ABC`.",
        "The office's IATI organisation identifier (prefix of every activity identifier), e.g. `XI-IATI-ABC`.",
    )
    iati_org_type: int = doc("Loại tổ chức theo IATI (10: cơ quan nhà nước).", "IATI OrganisationType (10: government).",
                             default=10, ge=10, le=90)


class Target(Strict):
    """A year's target in the province's plan for foreign non-governmental aid."""

    year: int = doc("Năm.", "Year.", ge=2000, le=2100)
    projects_min: int = doc("Số dự án mới ký kết tối thiểu.", "New projects signed, at least.", ge=0, le=1000)
    projects_max: int | None = doc("Tối đa (khi chỉ tiêu là một khoảng, ví dụ 4 đến 6).",
                                   "At most (when the target is a range, e.g. 4 to 6).", default=None, ge=0, le=1000)
    plan: str | None = doc("Văn bản giao chỉ tiêu (số, ngày).", "The plan that sets it (number, date).",
                           default=None, max_length=300)


class Site(Strict):
    """The catalogue's own texts: ``catalog/site.yaml``."""

    name: ShortText = doc("Tên danh mục.", "Catalogue name.")
    tagline: ShortText = doc("Khẩu hiệu ngắn.", "Tagline.")
    province: ShortText = doc("Tên tỉnh.", "Province.")
    year: int = doc("Năm của danh mục.", "Catalogue year.", ge=2000, le=2100)
    introduction: Text = doc("Lời giới thiệu (Markdown).", "Introduction (Markdown).")
    profile: list[Fact] = doc("Tỉnh trong số liệu.", "The province in figures.", default=[])
    office: Office = doc("Cơ quan đầu mối.", "Contact office.")
    usd_to_vnd: float = doc("Tỷ giá quy đổi tham khảo (VND cho 1 USD).", "Indicative rate (VND per USD).", gt=1000, lt=100_000)
    languages: list[LanguageDecl] = doc(
        "Các ngôn ngữ của danh mục; ngôn ngữ đầu tiên là mặc định (trang gốc /).",
        "The catalogue's languages; the first is the default (at /).",
        default=[LanguageDecl(**entry) for entry in languages.DEFAULT_DECLARATION],
        min_length=1,
        max_length=12,
    )
    illustrative: bool = doc(
        "Dữ liệu minh hoạ: hiển thị cảnh báo trên mọi trang.",
        "Example data: every page says so.",
        default=False,
    )
    site_url: Annotated[str, StringConstraints(pattern=r"^https://[^\s]+$", max_length=200)] | None = doc(
        "Địa chỉ trang công khai, in trong mọi PDF (ví dụ https://vientro.phutho.gov.vn/).",
        "The public site's address, printed in every PDF.",
        default=None,
    )
    signatory: Signatory | None = doc("Người ký thư gửi đối tác.", "Who signs the letters to partners.", default=None)
    review_after_months: int = doc(
        "Số tháng sau đó một mục cần rà soát lại.",
        "Months after which an entry is due for review.",
        default=12,
        ge=1,
        le=60,
    )
    province_id: Slug | None = doc(
        "Mã của tỉnh hiện nay, dùng trong địa bàn đăng ký của đối tác (`registration.provinces`).",
        "Today's province id, as partners' registrations name it (`registration.provinces`).",
        default=None,
    )
    targets: list[Target] = doc(
        "Chỉ tiêu kế hoạch hằng năm: số chương trình, dự án mới được ký kết.",
        "Yearly plan targets: new programmes and projects signed.",
        default=[], max_length=50,
    )
    open_data: OpenData | None = doc(
        "Dữ liệu mở (data/): giấy phép và mã tổ chức IATI; không có thì không xuất tệp IATI.",
        "Open data (data/): licence and IATI organisation; without it no IATI file is written.",
        default=None,
    )


class Term(Strict):
    """One item of a vocabulary (sectors, themes, SDGs, statuses, beneficiary groups, modalities)."""

    id: Slug | Annotated[int, Field(ge=1, le=99)] = doc("Mã.", "Id.")
    name: ShortText = doc("Tên.", "Name.")
    description: Text | None = doc("Mô tả.", "Description.", default=None)
    dac: list[Annotated[int, Field(ge=10000, le=99999)]] = doc(
        "Mã lĩnh vực OECD-DAC CRS (5 chữ số).", "OECD-DAC CRS purpose codes (5 digits).", default=[]
    )
    published: bool | None = doc("Trạng thái được đăng công khai.", "Entries with this status are published.", default=None)
    open: bool | None = doc(
        "Trạng thái đang kêu gọi tài trợ: được tính vào số dự án và số tiền đang kêu gọi.",
        "A status of needs still seeking money: counted in the figures of what is sought.",
        default=None,
    )
    funded: bool | None = doc(
        "Trạng thái đòi hỏi có khoản tài trợ đã cam kết (`funding` với `stage: committed` hoặc `disbursed`).",
        "A status that needs a committed contribution (`funding` at stage committed or disbursed).",
        default=None,
    )
    iati: int | None = doc("Mã IATI ActivityStatus.", "IATI ActivityStatus code.", default=None, ge=1, le=6)
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")] | None = doc(
        "Màu (#RRGGBB).", "Colour (#RRGGBB).", default=None
    )


class Former(Text):
    """A unit abolished on 1 July 2025 (a district or province): its id and its name per language."""

    id: Slug


class FormerUnits(Strict):
    district: Former
    province: Former


class Locality(Strict):
    """A commune-level unit of today's province (generated; see scripts/update_localities.py)."""

    id: Slug
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
    type: Literal["xa", "phuong"]
    name: ShortText
    former: FormerUnits | None = None


def annotations_of(info: Any) -> list[Any]:
    """Every type and marker a field is declared with, through ``X | None``, ``list[X]`` and ``Annotated``."""
    found: list[Any] = list(getattr(info, "metadata", []))
    stack = [getattr(info, "annotation", info)]
    while stack:
        item = stack.pop()
        found.append(item)
        found.extend(getattr(item, "__metadata__", ()))
        stack.extend(get_args(item))
    return found


def kind_of(info: Any) -> str:
    """``money``, ``count`` (a whole number), ``number``, ``identifier`` (a pattern or a vocabulary) or ``text``."""
    marks = annotations_of(info)
    if MONEY in marks:
        return "money"
    extra = getattr(info, "json_schema_extra", None)
    if (isinstance(extra, dict) and extra.get("x-vocabulary")) or any(
        getattr(m, "pattern", None) for m in marks if not isinstance(m, type)
    ):
        return "identifier"
    if int in marks and bool not in marks:
        return "count"
    if float in marks:
        return "number"
    return "text"


KINDS: dict[str, type[Strict]] = {"need": Need, "story": Story, "partner": Partner, "site": Site}
"""Entry kinds and their classes; :mod:`aidcatalog.load` says which folder holds which kind."""
