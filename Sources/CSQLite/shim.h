#ifndef TEAMPULSE_CSQLITE_SHIM_H
#define TEAMPULSE_CSQLITE_SHIM_H
// SQLite from Debian's libsqlite3-dev (`apt-get install libsqlite3-dev`).
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro over a cast Swift cannot import: bound text and blobs are copied.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
