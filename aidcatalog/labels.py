"""Interface words of the site and the PDFs: one table of keys and their English source text.

Translations live in gettext catalogues (``aidcatalog/locale/<code>/LC_MESSAGES/aidcatalog.po``,
``msgctxt`` = the key, ``msgid`` = the English text); :func:`t` looks them up through
:mod:`aidcatalog.languages`. Add a word here, then run ``python scripts/messages.py`` to add it to
every catalogue, and translate it there.
"""

from __future__ import annotations

from . import languages

LABELS: dict[str, str] = {
    # key (the gettext msgctxt): English text (the msgid)
    "illustrative": "Illustrative data: the projects, figures and contacts in this catalogue are examples.",
    "needs": "Projects seeking funding",
    "need": "Project",
    "stories": "Model projects",
    "story": "Model project",
    "catalogue": "Project catalogue",
    "sectors": "Sectors",
    "sector": "Sector",
    "themes": "Themes",
    "theme": "Theme",
    "places": "Places",
    "place": "Place",
    "status": "Status",
    "sdgs": "Sustainable Development Goals",
    "summary": "Summary",
    "context": "Context and need",
    "objectives": "Objectives",
    "activities": "Main activities",
    "expected_results": "Expected results",
    "indicator": "Indicator",
    "target": "Target",
    "baseline": "Baseline",
    "actual": "Achieved",
    "unit": "Unit",
    "year": "Year",
    "source": "Source",
    "beneficiaries": "Who benefits",
    "direct": "Direct",
    "indirect": "Indirect",
    "women_share": "Women",
    "people": "people",
    "budget": "Budget",
    "total": "Total cost",
    "requested": "Requested",
    "counterpart": "Counterpart funding",
    "counterpart_cash": "Counterpart in cash",
    "counterpart_in_kind": "Counterpart in kind",
    "approx_note": "Converted at an indicative rate of VND {rate} per US$.",
    "duration": "Duration",
    "months": "{n} months",
    "planned_start": "Planned start",
    "modality": "Modality",
    "readiness": "Readiness",
    "readiness.concept_note": "Concept note",
    "readiness.feasibility_study": "Feasibility study",
    "readiness.site_available": "Site available",
    "readiness.local_approval": "Local approval",
    "yes": "Yes",
    "no": "Not yet",
    "proposer": "Proposed by",
    "owner": "Project owner",
    "contact": "Contact",
    "email": "E-mail",
    "phone": "Phone",
    "related_needs": "Related projects",
    "related_stories": "Related model projects",
    "scale_up_needs": "Projects that would scale this up",
    "last_reviewed": "Last reviewed",
    "policy_markers": "Policy markers",
    "marker.1": "significant",
    "marker.2": "principal",
    "formerly": "formerly {district}, {province} province",
    "donors": "Donors",
    "local_partner": "Local partner",
    "period": "Period",
    "value": "Value of the aid",
    "results": "Results",
    "reached": "People reached",
    "quotes": "In their words",
    "lessons": "Lessons for replication",
    "problem": "The problem",
    "intervention": "What was done",
    "change": "The change",
    "documents": "Documents",
    "photos": "Photos",
    "brief_pdf": "Download the project brief (PDF)",
    "catalogue_pdf": "Download the full catalogue (PDF)",
    "page_of": "Page {page} of {pages}",
    "contents": "Contents",
    "web_page": "Project web page",
    "all_needs": "All projects",
    "figures.needs": "projects seeking funding",
    "figures.money": "total funding sought",
    "figures.sectors": "sectors",
    "figures.places": "communes and wards",
    "featured": "Featured projects",
    "how_to_partner": "How to partner",
    "about": "About the province",
    "get_in_touch": "Get in touch",
    "no_entries": "No projects yet.",
    "pdf.brief": "Project brief",
    "pdf.id": "Project ID: {id}",
    "pdf.at_a_glance": "At a glance",
    "pdf.amount": "Amount",
    "pdf.share": "Share",
    "pdf.item": "Item",
    "pdf.counterpart_source": "Counterpart from: {source}",
    "pdf.contact_person": "Contact person",
    "pdf.introduction": "Introduction",
    "pdf.profile": "The province at a glance",
    "pdf.key_figures": "The catalogue in figures",
    "pdf.contact_page": "Contact",
    "pdf.address": "Address",
    "pdf.website": "Website",
    "pdf.contact_text": (
        "The Department of Foreign Affairs is the province's focal point for foreign non-governmental aid. If"
        " a project interests you, please contact the Department, or the contact person named in the project "
        "brief: we will gladly send more documents and arrange a field visit."
    ),
    "pdf.legal": (
        "Legal framework: Decree 313/2025/NĐ-CP on non-ODA grant aid, and Decree 58/2022/NĐ-CP on the "
        "registration and activities of foreign non-governmental organisations in Viet Nam."
    ),
    "pdf.prepared_for": "Prepared for",
    "pdf.dear": "To: {name}",
    "pdf.regards": "Yours sincerely,",
    "pdf.selection": "A selection",
    "pdf.count": "{n} projects",
    "pdf.count_one": "1 project",
    "pdf.stories_intro": "These projects were carried out successfully with international NGOs and can be repeated elsewhere.",
    "pdf.more_online": "Full and current details: {url}",
    "pdf.sdgs": "SDGs",
    "pdf.site": "Online catalogue",
    "pdf.unknown": "{option}: there is no `{value}`",
    "pdf.did_you_mean": "; did you mean `{value}`?",
    "pdf.empty": "No project matches the selection ({filters}); no PDF was written.",
    "pdf.no_needs": "the catalogue has no published project",
    "pdf.written": "Wrote {path} ({pages} pages, {needs}).",
    "pdf.brief_filters": "--brief takes no filters",
    "pdf.budget_value": "`{value}` is not an amount (e.g. 50000, 50000USD, 1200000000VND)",
    "site.home": "Home",
    "site.not_found": (
        "This page could not be found: it may have moved, or the project is no longer listed. Không tìm thấy "
        "trang này: trang có thể đã được chuyển, hoặc dự án không còn trong danh mục."
    ),
    "site.brand": "Projects seeking international NGO aid",
    "site.country": "Viet Nam",
    "site.skip": "Skip to main content",
    "site.menu": "Main menu",
    "site.breadcrumb": "You are here",
    "site.search": "Search",
    "site.search_go": "Search",
    "site.search_placeholder": "Search projects, places, sectors…",
    "site.search_lead": "Search the English pages of the catalogue by project, place, sector or theme.",
    "site.search_noscript": "Search needs JavaScript. You can still browse the whole catalogue by sector, theme or place.",
    "site.view_in": "View this page in {language}",
    "site.short_name": "{province} · Aid Catalogue",
    "site.description": "Projects in {province} seeking foreign non-governmental aid.",
    "config.stale_languages": (
        "mkdocs.yml's languages differ from those declared in catalog/site.yaml: run `aidcatalog languages --write` "
        "(aidcatalog build does it by itself)"
    ),
    "site.footer_about": "The province's listing of projects seeking foreign non-governmental aid.",
    "site.footer_links": "Information",
    "site.footer_note": "Budgets are estimates; amounts in the other currency are indicative.",
    "site.catalogue_lead": (
        "{n} projects in the catalogue, by sector. Open one to see its budget, readiness and contact person."
    ),
    "site.stories_lead": "Projects carried out successfully with international NGOs, ready to be repeated elsewhere.",
    "site.sectors_lead": "The province's priority sectors for foreign NGO aid, with their OECD-DAC CRS codes.",
    "site.themes_lead": "Cross-cutting themes to help you find projects that match your priorities.",
    "site.places_lead": (
        "Since 1 July 2025 the province has no districts. Communes and wards with projects are grouped by "
        "their former district and province, to help you place them."
    ),
    "site.browse_by": "Browse by",
    "site.browse_sectors": "Find projects by sector",
    "site.view_catalogue": "Browse the catalogue",
    "site.view_stories": "See the model projects",
    "site.view_all": "View all",
    "site.figures": "The catalogue in figures",
    "site.province_glance": "The province at a glance",
    "site.featured_stories": "Featured model projects",
    "site.contact_lead": (
        "The Department of Foreign Affairs is the province's focal point for foreign non-governmental aid. We"
        " will gladly send more documents and arrange a field visit."
    ),
    "site.count_needs": "{n} projects",
    "site.count_needs_one": "1 project",
    "site.count_stories": "{n} model projects",
    "site.count_stories_one": "1 model project",
    "site.at_a_glance": "At a glance",
    "site.id": "Project ID",
    "site.requested_share": "{share} of the total cost",
    "site.interested": "Interested in this project?",
    "site.write_to": "E-mail the contact person",
    "site.or_office": "or contact the {office}",
    "site.where": "Where",
    "site.timeline": "Timeline",
    "site.dac": "OECD-DAC CRS codes",
    "site.photo_credit": "Photo: {credit}",
    "site.period_range": "{start} – {end}",
    "site.marker.gender": "Gender equality",
    "site.marker.climate_adaptation": "Climate adaptation",
    "site.marker.climate_mitigation": "Climate mitigation",
    "site.marker.disability": "Disability inclusion",
    "site.marker.disaster_risk_reduction": "Disaster risk reduction",
    "site.more_needs": "More projects in this sector",
    # open data (aidcatalog/opendata.py, the data page, the feeds)
    "data.title": "Open data",
    "data.lead": (
        "Every published project of the catalogue as data, for your own spreadsheets and systems: updated with the "
        "site, free to reuse under the licence below."
    ),
    "data.link": "Open data: JSON, CSV, Excel, IATI",
    "data.need_json": "This project as JSON",
    "data.files": "Files",
    "data.file": "File",
    "data.holds": "What it holds",
    "data.file.needs_json": (
        "Every published project and model project in every language, with the catalogue's name, the date of the "
        "data, the indicative exchange rate and the licence; one document, described by its JSON Schema."
    ),
    "data.file.schema": "The JSON Schema of needs.json.",
    "data.file.needs_csv": (
        "One row per project, one column per field and language; amounts in their currency and in US$; lists "
        "joined with a semicolon; UTF-8 with a byte-order mark, so that Excel reads Vietnamese correctly."
    ),
    "data.file.datapackage": "The Frictionless Data Package describing needs.csv: each column's type and meaning.",
    "data.file.needs_xlsx": "The same table as an Excel workbook, with a second sheet explaining the columns.",
    "data.file.iati": "The projects as IATI 2.03 activities, for aid-transparency tools and aggregators.",
    "data.file.feed": "An Atom feed of projects and model projects, newest review first.",
    "data.file.one": "Each project's page also links to that project alone, as JSON.",
    "data.licence": "Licence",
    "data.licence_text": "You may reuse, share and adapt these data, also commercially, naming the source: {name}.",
    "data.version": "Version {version}",
    "data.version_rule": (
        "The files carry a version, MAJOR.MINOR. A new field or column raises MINOR and leaves every existing one "
        "as it was; renaming, removing or changing the meaning of a field raises MAJOR. Ignore fields you do not know."
    ),
    "data.dates": "Dates are written as YYYY-MM-DD; numbers have no thousands separators; the data are dated {date}.",
    "data.rate": "US$ amounts are converted at an indicative rate of VND {rate} per US$.",
    "data.dictionary": "Field dictionary",
    "data.column": "Column",
    "data.type": "Type",
    "data.meaning": "Meaning",
    "data.per_language": "A column ending in a language code (for example {example}) holds the text in that language.",
    "data.feed": "Feed",
    "data.feed_title": "new and updated projects",
    "data.type.string": "text",
    "data.type.integer": "whole number",
    "data.type.number": "number",
    "data.type.date": "date",
    "data.type.boolean": "true/false",
    "data.type.money": "amount",
    "data.type.usd": "amount in US$",
    "data.col.id": "The project's identifier; it never changes once published.",
    "data.col.page": "The project's web page.",
    "data.col.brief": "The project brief (PDF).",
    "data.col.title": "Project title.",
    "data.col.summary": "Summary in two or three sentences.",
    "data.col.context": "The problem and the need (Markdown).",
    "data.col.status": "Status id.",
    "data.col.status_name": "Status.",
    "data.col.iati_status": "IATI activity status code (1: pipeline/identification, 2: implementation…).",
    "data.col.sectors": "Sector ids, the main sector first.",
    "data.col.sector_names": "Sectors.",
    "data.col.dac_codes": "OECD-DAC CRS purpose codes of the sectors.",
    "data.col.themes": "Theme ids.",
    "data.col.sdgs": "Sustainable Development Goals (1–17).",
    "data.col.communes": "Ids of the communes and wards where the project takes place.",
    "data.col.commune_codes": "Official administrative codes of those communes and wards.",
    "data.col.places": "Communes and wards where the project takes place.",
    "data.col.currency": "Currency of the budget: VND or USD.",
    "data.col.total": "Total cost, in the budget's currency.",
    "data.col.requested": "Amount requested from donors, in the budget's currency.",
    "data.col.counterpart_cash": "Counterpart funding in cash, in the budget's currency.",
    "data.col.counterpart_in_kind": "Counterpart funding in kind (labour, land, materials), valued, in the budget's currency.",
    "data.col.total_usd": "Total cost in US$, at the indicative rate.",
    "data.col.requested_usd": "Amount requested in US$, at the indicative rate.",
    "data.col.duration_months": "Duration in months.",
    "data.col.planned_start": "Planned start.",
    "data.col.modality": "Aid modality id.",
    "data.col.direct_beneficiaries": "Number of direct beneficiaries.",
    "data.col.indirect_beneficiaries": "Number of indirect beneficiaries.",
    "data.col.women_share": "Share of women among direct beneficiaries (%).",
    "data.col.beneficiary_groups": "Beneficiary group ids.",
    "data.col.objectives": "Objectives.",
    "data.col.activities": "Main activities.",
    "data.col.proposer": "Proposing agency.",
    "data.col.owner": "Project owner.",
    "data.col.contact_name": "Contact person.",
    "data.col.contact_role": "The contact person's position and organisation.",
    "data.col.contact_email": "The contact person's e-mail address.",
    "data.col.contact_phone": "The contact person's phone number.",
    "data.col.readiness": "Readiness: which preparations are done (true) or not yet (false).",
    "data.col.readiness_item": "Readiness: {item} (true: done).",
    "data.col.marker": "Policy markers: 0 not targeted, 1 significant, 2 principal objective.",
    "data.col.marker_item": "Policy marker, {item}: 0 not targeted, 1 significant, 2 principal objective.",
    "data.col.last_reviewed": "Date last reviewed: when the entry was published or last updated.",
    "export.written": "Wrote {path} ({needs}).",
    "export.empty": "No project matches the selection ({filters}); no file was written.",
    "export.no_iati_org": "site.yaml has no open_data.iati_org (the office's IATI identifier); no IATI file was written.",
    "untranslated": "not yet translated",
    "text.expected": "{names} texts",
    "text.shape": "; write it as {shape}",
    "language.twice": "the language `{code}` is declared twice",
    "language.no_locale": "`{locale}` is not a locale known to CLDR (numbers, money and dates need one), e.g. `fr` or `en_GB`",
    "language.fallback_required": "a required language has no fallback: every text must exist in it",
    "language.fallback_unknown": "the fallback `{code}` must be a required language declared in this list",
    "language.default_optional": "the first language is the default (at /) and must be required",
    "report.untranslated": "translation missing",
    "report.review-due": "due for review",
    "report.start-passed": "planned start has passed while still calling",
    "report.no-results": "model project without measured results",
    "report.draft": "draft, not published",
    "report.head_id": "Id",
    "report.head_file": "File",
    "report.head_attention": "Needs attention",
    "report.head_detail": "Detail",
    "report.nothing": "Nothing needs attention.",
    "report.attention_title": "Entries that need attention",
    "report.counts": (
        "Published needs: {needs} · drafts and unpublished: {unpublished} (drafts: {drafts}) · model "
        "projects: {stories} · partners: {partners}"
    ),
    "report.by_sector": "By main sector",
    "report.by_status": "By status",
    "report.by_place": "By place (former province)",
    "report.head_group": "Group",
    "report.head_needs": "Needs",
    "report.head_amount": "Amount requested",
    "report.total": "Total requested (converted): ",
    "fields.head": "| Field | Required | Type | Meaning |",
    "fields.yes": "yes",
    "fields.list": "list",
    "fields.group": "group",
    "fields.date": "date",
    "fields.bool": "true/false",
    "fields.number": "number",
    "fields.whole": "whole number",
    "fields.choice": "one of a set",
    "fields.text": "text",
    "cli.unknown_sector": "unknown sector: {sector} (known: {known})",
    "cli.created": "Created {path}",
    "cli.no_config": "no such configuration: {path}",
    "cli.build_failed": "The site was not built; the previous site/ is kept as it was.",
    "pdf.glyphs_missing": (
        "the PDF fonts cannot draw {count} character(s) of the {language} texts: {characters} (fonts tried: "
        "{fonts}); add a font that covers them"
    ),
    "build.waiting": "another build is running{who}; waiting for it to finish…",
    "build.who": " (process {pid})",
    "build.busy": "another build is still running{who} after waiting {seconds} s; build again when it has finished",
    "build.lock-failed": "cannot open the lock file {path} ({error}); the project folder must be writable",
    "build.leftover": "cannot remove {path}, left over from an earlier build ({error}); delete it by hand and build again",
    "build.swap": (
        "cannot replace {target} with the new build ({error}); the previous one is kept. Make {parent} "
        "writable and {target} removable (including a chattr +i attribute), or delete {target} by hand, then "
        "build again"
    ),
    "build.swap-back": "the previous site could not be put back: it is at {old}; rename it to {target}",
    "build.unexpected": "unexpected error while building: {error}",
    "pdf.error.memory": "{name} needs more memory than allowed ({limit} per PDF worker); make its photos smaller",
    "pdf.error.worker-died": "the worker rendering {name} stopped (perhaps it needed more memory than allowed, {limit})",
    # The proposal form (aidcatalog form), its import and the review sheet (form.py, intake.py, review.py).
    "form.sheet": "Proposal",
    "form.instructions_sheet": "Instructions",
    "form.lists_sheet": "Lists",
    "form.title": "Proposal of a project seeking foreign aid: {catalogue}",
    "form.intro": (
        "Fill in the yellow cells; cells marked * are required. Pick values from the drop-down lists, type amounts "
        "and numbers as digits only, and dates as dates. Read the sheet \u201c{instructions}\u201d first."
    ),
    "form.head.field": "What to write",
    "form.head.path": "Field",
    "form.head.value": "Your answer",
    "form.head.help": "How",
    "form.section.general": "1. The project",
    "form.section.places": "2. Where",
    "form.section.content": "3. Need, objectives and activities",
    "form.section.beneficiaries": "4. Who benefits",
    "form.section.budget": "5. Budget and timing",
    "form.section.people": "6. Proposer and contact",
    "form.section.readiness": "7. Readiness and policy markers",
    "form.section.other": "8. Other",
    "form.commune": "{name} (formerly {district})",
    "form.yes": "yes",
    "form.no": "no",
    "form.required": "required",
    "form.hint.choice": "pick from the list",
    "form.hint.bool": "pick {yes} or {no}",
    "form.hint.date": "a date, e.g. 2027-03-01",
    "form.hint.whole": "a whole number, digits only",
    "form.hint.money": "an amount, digits only (no dots, commas or words)",
    "form.hint.number": "a number",
    "form.hint.between": "from {lo} to {hi}",
    "form.hint.more_than": "more than {lo}",
    "form.hint.at_least": "at least {lo}",
    "form.hint.text": "at most {max} characters",
    "form.error.title": "Not accepted",
    "form.error.choice": "Pick a value from the drop-down list, or type it exactly as it is written there.",
    "form.error.length": "This text is too long: at most {max} characters.",
    "form.instructions_title": "How to fill in this form",
    "form.instructions.1": (
        "1. One workbook is one project. Write on the sheet \u201c{sheet}\u201d, in the yellow cells only; "
        "cells marked * are required."
    ),
    "form.instructions.2": (
        "2. Each text has one cell per language. The first language is required; the translations may be left "
        "empty and added later by the department."
    ),
    "form.instructions.3": (
        "3. Sector, themes, commune, status, goals, beneficiary groups, modality: pick from the drop-down lists. "
        "Each commune is shown with the district it belonged to before July 2025."
    ),
    "form.instructions.4": (
        "4. Amounts and numbers: digits only, e.g. 1200000000 (the cell shows the thousands separators itself). "
        "Do not write 1.200.000.000 or \u201c1,2 tỷ\u201d. Dates: type a date, e.g. 2027-03-01."
    ),
    "form.instructions.5": (
        "5. Do not add formulas, merge cells, or delete or move rows of the form: each yellow cell has a name "
        "that the department's program reads. You may change colours, fonts and column widths."
    ),
    "form.instructions.6": (
        "6. Lists (sectors, locations, objectives…) have several numbered cells: fill them from the first; leave "
        "the rest empty."
    ),
    "form.instructions.7": (
        "7. Save as .xlsx (Excel) or .ods (LibreOffice) and send the file to the department. It becomes a draft, "
        "which the department checks before anything is published."
    ),
    "wb.suffix": "`{suffix}` is not a workbook this program reads: save it as .xlsx (Excel) or .ods (LibreOffice)",
    "wb.unreadable": "the file cannot be read ({reason})",
    "wb.too_large": "the file is too large ({size} MB; at most {limit} MB)",
    "wb.damaged": "the file is damaged or is not a real Excel or LibreOffice workbook; open it and save it again",
    "intake.warning": "warning",
    "intake.not_a_form": (
        "this workbook is not a proposal form made by `aidcatalog form` (its hidden sheet is missing); copy the "
        "answers into a new form"
    ),
    "intake.old_version": (
        "this workbook was made for another version of the form ({found}; now {expected}): make a new one with "
        "`aidcatalog form` and copy the answers into it"
    ),
    "intake.no_name": "the named input cell of this field is missing (rows or cells of the form were deleted)",
    "intake.deleted": "the cell of this field was deleted; make a new form and copy the answers into it",
    "intake.merged": "this input cell is merged with others ({range}); unmerge the cells and check the answer",
    "intake.formula": "the cell holds a formula ({formula}); type the value itself",
    "intake.cell_error": "the cell shows an error ({value}); type the value itself",
    "intake.not_text": "expected text, found `{value}`",
    "intake.not_in_list": "`{value}` is not in the list of {vocabulary}; pick a value from the drop-down list",
    "intake.not_in_list_near": (
        "`{value}` is not in the list of {vocabulary}; did you mean `{near}`? Pick a value from the drop-down list"
    ),
    "intake.not_whole": "`{value}` is not a whole number",
    "intake.number_as_text": "`{value}` is text, not a number: type digits only",
    "intake.number_as_text_guess": (
        "`{value}` is text, not a number: type digits only, e.g. {digits} (the cell shows the thousands separators "
        "itself)"
    ),
    "intake.not_a_number": "expected a number, found `{value}`",
    "intake.date_as_text": "`{value}` is text, not a date: type a date such as 2027-03-01",
    "intake.date_as_text_guess": "`{value}` is text, not a date: type it as a date, {date} if that is the day meant",
    "intake.not_a_date": "expected a date, found `{value}`",
    "intake.required": "required: fill in this cell",
    "intake.required_text": "required: fill in the {language} text",
    "intake.not_written": "{path} was not written ({reason})",
    "intake.yaml.title": "Need: {title}",
    "intake.yaml.imported": "Imported from the proposal form {source} on {date}, as a draft (not published).",
    "intake.yaml.next": (
        "Check it, add the missing translations, then change `status: draft` to publish it (aidcatalog validate)."
    ),
    "intake.yaml.proposed_status": "Status proposed in the form: {status} (set it once the proposal is vetted).",
    "intake.wrote": "Wrote {path} (draft) from {source}",
    "intake.would_write": "Would write {path} (draft) from {source}",
    "intake.summary": "{written} of {total} form(s) imported.",
    "review.sheet": "Review",
    "review.gap": "Funding gap (total less counterpart; computed)",
    "review.not_a_sheet": "this workbook is not a review sheet made by `aidcatalog review-sheet --out`",
    "review.no_id": "the column of ids (field `id`) is missing from the sheet",
    "review.no_row_id": "this row has values but no id; the id says which need it is",
    "review.unknown_id": "there is no need with the id `{id}` in the catalogue",
    "review.twice": "the need `{id}` has another row already (row {row})",
    "review.conflict": (
        "{file} was changed after the sheet was exported (the file now holds {now}; the sheet says {sheet}): "
        "export a new sheet and enter the change there"
    ),
    "review.cannot_edit": "{file}: this value cannot be changed in place; change it in the file itself",
    "review.empty": "nothing",
    "review.written": "Wrote {count} sheet row(s) to {path}",
    "review.changed": "{values} value(s) changed in {files} file(s).",
    "review.would_change": "{values} value(s) would change in {files} file(s) (nothing written).",
    "review.nothing": "No changes: the sheet and the files agree.",
    "review.refused": "Nothing was changed: correct the sheet and apply it again.",
    "form.written": "Wrote the proposal form {path}",
    "site.funded": "Funded or under way",
    "site.stale": "Being updated",
    "site.stale.start-passed": (
        "Its planned start has passed: the office is updating this entry, and it is left out of the totals."
    ),
    "site.stale.review-due": (
        "Not reviewed for more than {n} months: the office is updating this entry, and it is left out of the "
        "totals."
    ),
    "site.sought": "{amount} sought",
    "site.open_count": "{n} seeking funding",
    "site.catalogue_intro": (
        "Every published project once. Filter by sector, theme, place, status, goal, amount or readiness, and"
        " sort; the address keeps your choice, so you can bookmark or send it."
    ),
    "filter.title": "Filter and sort",
    "filter.any": "Any",
    "filter.open": "Seeking funding (all)",
    "filter.budget": "Amount sought",
    "filter.ready": "Ready",
    "filter.sort": "Sort by",
    "filter.former_all": "All of {name}",
    "filter.former_provinces": "Former provinces",
    "filter.under": "under {high}",
    "filter.range": "{low} to {high}",
    "filter.over": "{low} or more",
    "filter.reset": "Clear the filters",
    "filter.none": "No project matches these choices.",
    "filter.more": "Show more",
    "sort.amount": "Largest amount sought",
    "sort.start": "Planned start",
    "sort.reviewed": "Recently reviewed",
    "sort.title": "Title",
    "pages.label": "Pages of the catalogue",
    "pages.previous": "Previous page",
    "pages.next": "Next page",
    "pages.of": "Page {n} of {total}",
    "search.suggest": "Nothing found. Perhaps one of these:",
    "search.kind_need": "Project",
    "funding.progress": "{committed} of {requested} committed",
    "funding.sought": "Still sought: {amount}",
    "funding.bar": "Funding committed",
    "search.found": "Results: {n}",
    "report.registration-expiring": "registration ends within 90 days",
    "report.registration-expired": "registration has ended",
    "yr.title": "Foreign non-governmental aid mobilised in {year}",
    "yr.subtitle": "{office} · figures as of {day} · internal document, not for publication",
    "yr.signed_h": "New programmes and projects signed, against the plan",
    "yr.signed_no_target": "In {year}, {n} new programmes and projects were signed; site.yaml sets no target for the year.",
    "yr.signed_met": (
        "In {year}, {n} new programmes and projects were signed, against a target of {goal}: the target is "
        "met ({share} of the minimum)."
    ),
    "yr.signed_short": (
        "In {year}, {n} new programmes and projects were signed, against a target of {goal}: {share} of the "
        "minimum, {missing} short of it."
    ),
    "yr.range": "{low} to {high}",
    "yr.plan": "Target set by: {plan}.",
    "yr.money_h": "Aid committed and disbursed",
    "yr.money_total": (
        "In {year}: {committed} newly committed, {disbursed} disbursed (US dollars converted at the "
        "indicative rate of {rate} đồng)."
    ),
    "yr.by_sector": "By sector",
    "yr.by_partner": "By partner",
    "yr.total": "Total",
    "yr.none": "None.",
    "yr.open_h": "Needs still seeking funding",
    "yr.open_total": "{n} needs still seek funding; together {sought} is still missing.",
    "yr.follow_h": "Follow-ups due or overdue",
    "yr.overdue": "overdue",
    "yr.silent_h": "Partners not contacted in {year}",
    "yr.all_contacted": "Every partner was contacted this year.",
    "yr.internal": "Made by aidcatalog report from the catalogue and the department's internal records.",
    "yr.col_need": "Project",
    "yr.col_sector": "Sector",
    "yr.col_funders": "Donors",
    "yr.col_date": "Committed on",
    "yr.col_committed": "Committed",
    "yr.col_disbursed": "Disbursed",
    "yr.col_requested": "Requested",
    "yr.col_gap": "Still sought",
    "yr.col_group": "Item",
    "yr.col_due": "Due",
    "yr.col_partner": "Partner",
    "yr.col_step": "Next step",
    "yr.col_by": "Staff",
    "yr.x_summary": "Summary",
    "yr.x_year": "Year",
    "yr.x_signed": "Projects signed",
    "yr.x_target_min": "Target (at least)",
    "yr.x_target_max": "Target (at most)",
    "yr.x_committed": "Committed in the year (VND)",
    "yr.x_disbursed": "Disbursed in the year (VND)",
    "yr.x_sought": "Still sought by open needs (VND)",
    "yr.x_rate": "Indicative rate (VND per USD)",
    "yr.written": "{path}: written",
    "pdf.outside_registration": "{need}: outside the partner's registration ({why})",
    "pdf.outside_sector": "sectors: {sectors}",
    "pdf.outside_province": "province",
    "pdf.left_out": "{n} need(s) outside the registration left out; --include-outside-registration keeps them",
    "pdf.no_registration": "{partner} has no registration recorded (Decree 58/2022/NĐ-CP): check before sending",
    "pdf.registration_ended": "{partner}'s registration ended on {day}",
    "pdf.placeholder_refused": (
        "the site's address {url} is an example, and this catalogue is not illustrative: set site_url in "
        "catalog/site.yaml to the published address (or give --site-url); no PDF was written"
    ),
    "pdf.placeholder_warning": (
        "WARNING: the PDF prints the example address {url}; before sending it to a partner set site_url in "
        "catalog/site.yaml to the published address"
    ),
    "pdf.letter_ref": "Ref. {ref}",
    "pdf.letter_place_date": "Việt Trì, {date}",
    "pdf.sought": "Sought from donors",
    "pdf.gap_of": "{share} of the total cost of {total}",
    "report.by_place_note": (
        "A need in several former provinces counts once in each, its money shared between them, so the counts"
        " add to more than the number of needs."
    ),
    "report.review_due_after": "review due (over {months} months)",
    "search.results": "Results",
    "pdf.updated": "Updated {date}",
    "pdf.col_sought": "Still sought",
    "pdf.fully_funded": "Fully funded",
    "pdf.donor_funding": "Donor funding",
    "pdf.amounts_note": (
        "≈ converted at an indicative rate of VND {rate} per US$; below it, the amount in the currency of the"
        " project's own budget."
    ),
    # Date patterns (CLDR names or Unicode patterns): a language whose official style differs from CLDR gives its own
    "format.date_long": "long",
    "format.date_short": "medium",
    "figures.needs_one": "project seeking funding",
    "figures.sectors_one": "sector",
    "figures.places_one": "commune or ward",
    "pdf.unpublished": "`{value}` is not published (status: {status}): donors are shown published needs only",
}


def t(key: str, lang: str, **params: object) -> str:
    """The label ``key`` in ``lang``, with ``{params}`` filled in."""
    text = languages.gettext(key, lang, LABELS[key])
    return text.format(**params) if params else text


def tn(key: str, n: int, lang: str, **params: object) -> str:
    """The label ``key`` for ``n`` things: ``key_one`` where the language's plural rule (CLDR) says
    "one" and that label exists (``1 sector``), else ``key`` (``2 sectors``; Vietnamese has one form)."""
    from babel import Locale

    form = Locale.parse(languages.locale_of(lang)).plural_form(n)
    return t(f"{key}_{form}" if f"{key}_{form}" in LABELS else key, lang, **params)
