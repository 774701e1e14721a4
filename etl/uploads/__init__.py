"""Officials' uploads: validation, preview, the ledger of accepted files and their publication; the pages and the
command line use them through etl.uploads.service only."""
