"""patentwire: technology deals and patent-portfolio sizes from news, into DuckDB and Parquet."""

__version__ = "0.1.0"
