"""The documentation stays in step with what the code builds."""

from patentwire.project import ROOT, SQL_DIR
from patentwire.tables import table_docs
from patentwire.warehouse.migrations import bundled_migrations


def test_readme_names_every_documented_table():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert [name for name in table_docs() if f"`{name}`" not in readme] == []


def test_every_sql_model_and_core_table_is_documented():
    created = {line.split()[2] for m in bundled_migrations() for line in m.sql.splitlines()
               if line.startswith("create table")}
    models = {path.stem for path in SQL_DIR.glob("*.sql")}
    assert (created | models) - set(table_docs()) == set()
