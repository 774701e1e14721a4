-- priority_zone: every code a strategy or an action of the plan, every zone one of the zones.
select p.plan_code, p.zone_id, 'strategia, azione o zona sconosciuta' as problem
from priority_zone p
left join strategy s on s.code = p.plan_code
left join action a on a.code = p.plan_code
left join zone z on z.zone_id = p.zone_id
where (s.code is null and a.code is null) or z.zone_id is null
