-- Facts about the build: when, which zone list.
select key, value from build_info order by key
