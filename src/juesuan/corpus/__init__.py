"""Corpus runs (issue 12): thousands of reports into one dataset, on one machine or a Dask
cluster.

- :mod:`.inputs`: the documents of a folder or manifest, known by their content hash.
- :mod:`.work`: one document read, checked and audited by kind in an isolated child process
  (time and memory limits; a crash is an error row).
- :mod:`.run`: the run on local processes or a Dask cluster; resumable; prior years matched
  (:mod:`.priors`, regions from unit names in :mod:`.region`) and audited again with them.
- :mod:`.rows`, :mod:`.schema`, :mod:`.store`: the dataset (Parquet, DuckDB, Frictionless
  ``datapackage.json``, CSV/XLSX exports).
- :mod:`.completeness`: disclosure completeness against 财预〔2016〕143号 (``data/``).
- :mod:`.report`: ``juesuan corpus report``, the HTML summary; ``data/queries.sql`` holds the
  questions it answers in SQL.
"""
