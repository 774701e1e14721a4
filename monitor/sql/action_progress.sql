-- One row per action × zone (null = whole CM): the latest progress update with who loaded it and when.
select p.action_code, p.zone_id, z.name as zone_name, p.as_of, p.status, p.percent,
       p.funds_allocated, p.funds_spent, p.note, p.load_id,
       l.created_at as loaded_at, l.created_by as loaded_by, l.file_name
from action_progress p
left join zone z on z.zone_id = p.zone_id
left join load l on l.load_id = p.load_id
qualify row_number() over (partition by p.action_code, p.zone_id order by p.as_of desc) = 1
order by p.action_code, p.zone_id nulls first
