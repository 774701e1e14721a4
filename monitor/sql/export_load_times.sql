-- The distinct load times of the rows of the full download, so the CSV formats them as one column.
select distinct l.created_at as loaded_at
from observation o
join indicator i on i.code = o.indicator_code
left join load l on l.load_id = o.load_id
