"""Core of the leaflet pipeline: document model, Markdown reader, catalogs, translation, checks."""
