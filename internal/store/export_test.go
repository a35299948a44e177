package store

import "database/sql"

// SQLDB exposes the database handle to the external tests, for checks
// that look at the tables directly.
func SQLDB(db *DB) *sql.DB { return db.sql }
