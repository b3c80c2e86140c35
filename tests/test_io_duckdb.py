"""Placements read by DuckDB (large CSV, Parquet) give the same study and tables (issue 19)."""

import hashlib
import shutil

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import netsoc
from netsoc.io import duck, raw
from netsoc.io.load import StudyError
from netsoc.synth.national import make_national, write_study

pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def study_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("duck") / "county"
    tables = make_national("county", seed=5, n_placements=20_000)
    write_study(tables, d, seed=5, name="duck", scope="lan")
    return d


def _with_errors(src, dst):
    shutil.copytree(src, dst)
    f = dst / "placements.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    col = {c: i for i, c in enumerate(head)}

    def edit(k, column, value):
        cells = lines[k].split(",")
        cells[col[column]] = value
        lines[k] = ",".join(cells)

    edit(3, "host_id", "no_such_host")
    edit(10, "start_date", "2020-13-45")
    edit(20, "outcome", "Wrok")
    edit(30, "referrer_id", "")
    edit(40, "placement_id", lines[41].split(",")[col["placement_id"]])
    edit(50, "gender", "19121212-1212")
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


def _load(path, monkeypatch, engine):
    monkeypatch.setattr(raw, "FAST_PATH_BYTES", 0)  # pyarrow for every size
    monkeypatch.setattr(duck, "DUCKDB_BYTES", 0 if engine == "duckdb" else 10**15)
    st = netsoc.load_study(path, allow_rejects=True)
    monkeypatch.undo()
    return st


def _same_study(a, b):
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert a.rejects.keys() == b.rejects.keys()
    for k in a.rejects:
        assert a.rejects[k].equals(b.rejects[k]), k
    for name in a.TABLES:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None)
        if x is not None:
            assert x.equals(y) and list(x.dtypes) == list(y.dtypes), name


def test_duckdb_csv_reader_equals_pyarrow_reader(study_dir, tmp_path, monkeypatch):
    bad = _with_errors(study_dir, tmp_path / "bad")
    a, b = _load(bad, monkeypatch, "pyarrow"), _load(bad, monkeypatch, "duckdb")
    assert any(p.file == "placements.csv" and p.line == 4 for p in a.problems)  # header = 1
    assert len(a.rejects["placements"]) >= 5
    _same_study(a, b)


def _to_parquet(folder):
    f = folder / "placements.csv"
    table = pacsv.read_csv(f, convert_options=pacsv.ConvertOptions(
        column_types={c: pa.string() for c in f.read_text().splitlines()[0].split(",")},
        strings_can_be_null=False))
    pq.write_table(table, folder / "placements.parquet")
    f.unlink()


def test_parquet_placements_equal_csv(study_dir, tmp_path, monkeypatch):
    bad = _with_errors(study_dir, tmp_path / "bad")
    a = _load(bad, monkeypatch, "pyarrow")
    _to_parquet(bad)
    b = _load(bad, monkeypatch, "pyarrow")
    # the same problems, at the same lines, naming the Parquet file
    assert [str(p).replace("placements.csv", "placements.parquet") for p in a.problems] == \
        [str(p) for p in b.problems]
    assert a.placements.equals(b.placements)
    assert a.rejects["placements"].equals(b.rejects["placements"])
    assert "placements.parquet" in b.sources


def test_both_csv_and_parquet_is_an_error(study_dir, tmp_path):
    d = tmp_path / "both"
    shutil.copytree(study_dir, d)
    shutil.copy(d / "placements.csv", tmp_path / "p.csv")
    _to_parquet(d)
    shutil.copy(tmp_path / "p.csv", d / "placements.csv")
    with pytest.raises(StudyError) as err:
        netsoc.load_study(d)
    assert "keep one" in err.value.report()


def _digests(out):
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for top in ("tables", "graphs", "rejects") if (out / top).exists()
            for p in sorted((out / top).rglob("*")) if p.is_file()}


def test_study_tables_byte_identical_whichever_reader(study_dir, tmp_path, monkeypatch):
    pq_dir = tmp_path / "parquet"
    shutil.copytree(study_dir, pq_dir)
    _to_parquet(pq_dir)
    digests = []
    for path, engine in ((study_dir, "pyarrow"), (study_dir, "duckdb"), (pq_dir, "pyarrow")):
        st = _load(path, monkeypatch, engine)
        out = tmp_path / f"out-{engine}-{path.name}"
        netsoc.analyze(st, quiet=True).write(out)
        digests.append(_digests(out))
    assert len(digests[0]) > 20
    assert digests[0] == digests[1] == digests[2]


def test_sql_aggregates_equal_pandas(study_dir, tmp_path):
    import numpy as np

    from netsoc.graphs.projection import coplacement_matrix
    from netsoc.io.aggregate import aggregate_placements

    st = netsoc.load_study(study_dir)
    pl = st.placements
    for source in (pl, study_dir / "placements.csv"):
        agg = aggregate_placements(source, st.actors)
        hosted = pl["host_id"].astype(str).value_counts().sort_index()
        assert agg["hosted"]["actor_id"].tolist() == hosted.index.tolist()
        assert agg["hosted"]["placements"].tolist() == hosted.tolist()
        ref = pl.groupby(["referrer_id", "host_id"]).size()
        assert agg["referrals"]["placements"].tolist() == ref.tolist()
        hosts = sorted(pl["host_id"].astype(str).unique())
        m = coplacement_matrix(pl, hosts).tocoo()
        keep = (m.row < m.col) & (m.data > 0)
        pairs = sorted(zip(np.array(hosts)[m.row[keep]], np.array(hosts)[m.col[keep]],
                           m.data[keep].astype(int).tolist(), strict=True))
        co = agg["coplacements"]
        assert list(zip(co["host_a"], co["host_b"], co["persons"], strict=True)) == pairs
        kk = st.actors.set_index("actor_id")["kommun_kod"]
        per_k = pl["host_id"].map(kk).dropna().value_counts().sort_index()
        assert agg["kommun"]["placements"].tolist() == per_k.tolist()
        assert agg["outcome"]["placements"].sum() == len(pl)
