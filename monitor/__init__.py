"""PSM Asse 5 monitor: settings, warehouse access, queries, charts, maps, formatting."""
