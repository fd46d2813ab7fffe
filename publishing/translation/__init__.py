"""The translators' workflow: extract, update and status of catalogs, the translation memory, XLIFF
interchange, the bilingual review pack and sign-off, and the data check of what is committed."""
