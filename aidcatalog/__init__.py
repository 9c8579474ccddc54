"""aidcatalog: the province's aid-calling catalogue as checked data, a bilingual site and PDFs."""

__version__ = "0.1.0"
