"""Stage 1 – read, validate and normalise a study folder or workbook.

A study is a folder of CSV files (UTF-8 with or without BOM, else Windows-1252;
``,`` or ``;`` separated) or one ``.xlsx`` workbook with one sheet per file.
Only ``actors.csv`` is required. Every problem is reported as
``file:line: column: message`` (the header is line 1), all of them at once.
Rows with errors either stop the run (:class:`StudyError`) or, with
``allow_rejects=True``, are removed and kept in ``Study.rejects`` with their
reason. Nothing is dropped silently.

Where things live:

- :mod:`~netsoc.io.raw` – a file's cells as text (exact CSV reader, the pyarrow
  path for large files, ``.xlsx`` sheets);
- :mod:`~netsoc.io.vocabulary` – did-you-mean suggestions, type synonyms,
  kommun codes, organisation numbers;
- :mod:`~netsoc.io.validate` – one file against its :mod:`netsoc.schema` spec;
- :mod:`~netsoc.io.settings` – ``study.toml``;
- :mod:`~netsoc.io.load` – the whole study (:func:`load_study`), rejects;
- :mod:`~netsoc.io.write` – a study back to CSV files or a workbook.

Examples
--------
>>> import netsoc
>>> study = netsoc.load_study()            # the embedded example
>>> sorted(study.tables())[:2]
['actors', 'affiliations']
"""

from netsoc.io.load import EXAMPLE_SEED, StudyError, example_path, load_study, read_raw_tables
from netsoc.io.raw import (
    FAST_PATH_BYTES,
    MAX_FIELD,
    RawTable,
    read_csv_text,
    read_workbook,
    sniff_separator,
)
from netsoc.io.settings import read_settings
from netsoc.io.validate import SUGGEST_SCORE
from netsoc.io.vocabulary import TYPE_SYNONYMS, kommun_codes, suggest, valid_org_nr
from netsoc.io.write import write_study_csv, write_study_xlsx

__all__ = [
    "EXAMPLE_SEED", "FAST_PATH_BYTES", "MAX_FIELD", "SUGGEST_SCORE", "TYPE_SYNONYMS", "RawTable",
    "StudyError", "example_path", "kommun_codes", "load_study", "read_csv_text", "read_raw_tables",
    "read_settings", "read_workbook", "sniff_separator", "suggest", "valid_org_nr",
    "write_study_csv", "write_study_xlsx",
]
