-- One row per load, newest first: kind, source, when, the producer's release date, status, rows, what it changed
-- when it entered (null: not recorded), the periods it covers and the indicators, actions, priority zones (by plan
-- code) or zone list it touches.
-- An upload's or a revert's author, file name and note (written by officials) only when $public is false: to the
-- public, the offices.
with named as (
    select c.*, i.name_it, i.name_en
    from load_coverage c
    left join indicator i on i.code = c.code and c.subject in ('indicator', 'target')
),
coverage as (
    select load_id, min(first_period) as first_period, max(last_period) as last_period, sum(rows) as rows,
           coalesce(list(coalesce(name_it, code) order by code) filter (where subject in ('indicator', 'target')), [])
               as indicators_it,
           coalesce(list(coalesce(name_en, code) order by code) filter (where subject in ('indicator', 'target')), [])
               as indicators_en,
           coalesce(list(code order by code) filter (where subject = 'action'), []) as actions,
           coalesce(list(code order by code) filter (where subject = 'priority'), []) as priorities,
           bool_or(subject = 'zone_list') as zone_list
    from named group by load_id
)
select l.load_id, l.kind, l.source_code, s.producer, l.created_at, l.released_on, l.status,
       coalesce(nullif(l.rows, 0), c.rows, 0) as rows,   -- a reverted upload or a revert: the rows the upload brought
       l.rows_added, l.rows_changed, l.rows_removed,
       s.title_it, s.title_en,
       case when $public and l.kind in ('upload', 'revert') then null else l.created_by end as created_by,
       case when $public and l.kind in ('upload', 'revert') then null else l.file_name end as file_name,
       case when $public and l.kind in ('upload', 'revert') then null else l.note end as note,
       c.first_period, c.last_period,
       coalesce(c.indicators_it, []) as indicators_it, coalesce(c.indicators_en, []) as indicators_en,
       coalesce(c.actions, []) as actions, coalesce(c.priorities, []) as priorities,
       coalesce(c.zone_list, false) as zone_list
from load l
left join source s on s.source_code = l.source_code
left join coverage c on c.load_id = l.load_id
order by l.created_at desc, l.load_id desc
