-- Every load the warehouse was built from (bundled files, connector downloads, uploads, reverts), newest first.
select load_id, kind, source_code, created_at, created_by, file_name, rows, status, note
from load
order by created_at desc, load_id
