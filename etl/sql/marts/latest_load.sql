-- The latest load wins: of the staged rows that share a grain, the row of the latest batch (its last row if it
-- repeats the grain). Every mart of loaded rows calls it on a relation with `grain` (a row of the grain's columns),
-- `batch_seq` (the batch's place in the build: bundled data, connectors, then uploads in ledger order) and `row_seq`
-- (the row's place in its batch). One row per grain; batch_seq is kept for the marts that need it.
create temp macro latest_load(staged) as table
select * exclude (grain, row_seq)
from query_table(staged)
qualify row_number() over (partition by grain order by batch_seq desc, row_seq desc) = 1
