-- One row per load: kind, source, when, who, file, checksum, rows, status.
select load_id, kind, source_code, created_at, created_by, file_name, file_sha256, rows, status, note
from load order by created_at desc, load_id
