-- One row per strategy or action × priority zone (the plan's maps, uploaded): the strategy the code belongs to,
-- whether the code is the strategy itself or one of its actions, the zone's name, the note, and who loaded it and when.
select p.plan_code, coalesce(s.code, a.strategy_code) as strategy_code,
       case when s.code is not null then 'strategy' else 'action' end as scope,
       p.zone_id, z.name as zone_name, p.note, p.load_id,
       l.created_at as loaded_at, l.created_by as loaded_by, l.kind as load_kind, src.producer
from priority_zone p
left join strategy s on s.code = p.plan_code
left join action a on a.code = p.plan_code
join zone z on z.zone_id = p.zone_id
left join load l on l.load_id = p.load_id
left join source src on src.source_code = l.source_code
order by p.plan_code, p.zone_id
