"""psycopg2-binary from its PyPI wheel (the C extension and the libpq it bundles): prints
what it computes and how a refused connection ends, which must be the same under
greenlight as under the venv's python (InterpreterFidelityTests)."""

import socket

import psycopg2
import psycopg2.extensions

print("psycopg2", psycopg2.__version__.split()[0], "libpq", psycopg2.extensions.libpq_version())
print("dsn", sorted(psycopg2.extensions.parse_dsn("dbname=nova host=127.0.0.1 port=5432").items()))
print("quoted", psycopg2.extensions.adapt("it's").getquoted(), psycopg2.extensions.adapt(3.5))

# A port nobody listens on: libpq's own connect, refused on 127.0.0.1.
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
try:
    psycopg2.connect(host="127.0.0.1", port=port, dbname="nova", connect_timeout=5)
except psycopg2.OperationalError as error:
    print("refused", "Connection refused" in str(error))
