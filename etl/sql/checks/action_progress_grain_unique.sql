-- action_progress: one row per action × zone (null = whole CM) × date; codes exist; percent in 0–100.
select action_code, zone_id, as_of, count(*) as rows, 'riga ripetuta' as problem
from action_progress group by all having count(*) > 1
union all
select p.action_code, p.zone_id, p.as_of, 1, 'azione o zona sconosciuta'
from action_progress p left join action a on a.code = p.action_code left join zone z on z.zone_id = p.zone_id
where a.code is null or (p.zone_id is not null and z.zone_id is null)
union all
select action_code, zone_id, as_of, 1, 'percentuale fuori da 0–100'
from action_progress where percent < 0 or percent > 100
