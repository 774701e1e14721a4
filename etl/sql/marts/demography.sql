-- Demographic indicators per comune from population by single year of age: one row per indicator × comune × year ×
-- sex. A table macro over any relation (istat_code, year, sex, age, persons): population_age for the CM's comuni,
-- national_population_age for every comune row of Italy. Zone, CM and benchmark rows are derived later from these
-- numerators and denominators. Call: select * from demography('population_age', 'istat_geopop').
create or replace temp macro demography(population, source_code) as table
with pop as (
    select istat_code, year, sex, age, persons from query_table(population)
),
per_comune as (
    select istat_code, year, sex,
        sum(persons) as total,
        sum(persons) filter (where age <= 2) as age_0_2,
        sum(persons) filter (where age <= 14) as age_0_14,
        sum(persons) filter (where age between 18 and 35) as age_18_35,
        sum(persons) filter (where age >= 65) as age_65_plus
    from pop
    group by istat_code, year, sex
),
previous as (
    select p.*, prev.total as total_previous_year
    from per_comune p
    left join per_comune prev
        on prev.istat_code = p.istat_code and prev.sex = p.sex and prev.year = p.year - 1
),
indicators as (
    select 'population' as indicator_code, istat_code, year, sex, total as numerator, null as denominator, 1 as scale from previous
    union all select 'share_age_0_2', istat_code, year, sex, age_0_2, total, 100 from previous where sex = 'T'
    union all select 'share_age_18_35', istat_code, year, sex, age_18_35, total, 100 from previous
    union all select 'share_age_65_plus', istat_code, year, sex, age_65_plus, total, 100 from previous
    union all select 'old_age_index', istat_code, year, sex, age_65_plus, age_0_14, 100 from previous
    union all select 'population_change', istat_code, year, sex, total - total_previous_year, total_previous_year, 100
        from previous where total_previous_year is not null
)
select
    indicator_code,
    'comune' as level,
    istat_code as territory_code,
    year as period,
    sex,
    case when denominator is null then numerator else scale * numerator / nullif(denominator, 0) end as value,
    numerator::double as numerator,
    denominator::double as denominator,
    null::varchar as note,
    source_code as source_code
from indicators
order by indicator_code, territory_code, period, sex
