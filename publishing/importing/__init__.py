"""Importing a trust's existing leaflets (Word, ODT, HTML) into `source/`.

Above the translators' workflow: it uses the core's reader (every imported leaflet is read back
before it is written) and nothing imports it but the command line. pandoc reads the document
(`documents`), the walk over its syntax tree writes the source format (`markdown`), the facts of
the closing block and footer become the front matter (`fields`), pictures go to source/images
(`pictures`), and `library` does one file or a folder with its reports.
"""
