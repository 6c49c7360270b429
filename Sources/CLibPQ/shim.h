// libpq, PostgreSQL's own client library (Debian: libpq-dev), for the PostgreSQL store.
#include <libpq-fe.h>
