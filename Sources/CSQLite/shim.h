// The system's SQLite 3 (Debian: libsqlite3-dev), for BileanStore's SQLite driver.
#include <sqlite3.h>
