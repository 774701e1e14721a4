"""ETL of the PSM Asse 5 monitor: reference data, source connectors, uploads, warehouse build."""
