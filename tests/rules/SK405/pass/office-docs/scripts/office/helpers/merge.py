def merge_runs(): pass
