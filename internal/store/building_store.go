package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/buildings"
	"svcplan/internal/money"
)

// BuildingStore keeps 楼宇经济: every version of the buildings and their
// spaces, and the tax bureau's figures (buildings.Store).
type BuildingStore struct{ db *DB }

// NewBuildingStore returns the buildings' store.
func NewBuildingStore(db *DB) *BuildingStore { return &BuildingStore{db: db} }

const buildingColumns = `code, version, name, address, unit_code, kind, grade, gross_area, rentable_area, floors, basement,
	owner_name, owner_uscc, operator_name, operator_uscc, keeper, keeper_phone, theme_name, theme_classes, opened,
	changed_by, changed_at, reason`

// changed counts a write, for Version.
func changed(ctx context.Context, t *tx) error {
	_, err := t.ExecContext(ctx, `UPDATE buildings_changes SET n = n + 1`)
	return err
}

// SaveBuilding appends a version of a building with its audit entry.
func (s *BuildingStore) SaveBuilding(ctx context.Context, b *buildings.Building, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		var last int
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM building_versions WHERE code = ?`, b.Code).Scan(&last); err != nil {
			return fmt.Errorf("store: save building: %w", err)
		}
		if last >= b.Version {
			return apperr.Conflictf("楼宇%s已被他人修改,请刷新后重试", b.Code)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO building_versions (`+buildingColumns+`) VALUES (`+marks(23)+`)`,
			b.Code, b.Version, b.Name, b.Address, b.Unit, string(b.Kind), string(b.Grade), int64(b.Gross), int64(b.Rentable),
			b.Floors, b.Basement, b.Owner.Name, b.Owner.USCC, b.Operator.Name, b.Operator.USCC, b.Keeper, b.Phone,
			b.Theme.Name, strings.Join(b.Theme.Classes, ","), b.Opened, b.ChangedBy, t.dialect.timeArg(b.ChangedAt), b.Reason); err != nil {
			return fmt.Errorf("store: save building: %w", err)
		}
		if err := changed(ctx, t); err != nil {
			return fmt.Errorf("store: save building: %w", err)
		}
		return appendAudit(ctx, t, e)
	})
}

func scanBuilding(row rowScanner) (buildings.Building, error) {
	var b buildings.Building
	var kind, grade, classes string
	var gross, rentable int64
	err := row.Scan(&b.Code, &b.Version, &b.Name, &b.Address, &b.Unit, &kind, &grade, &gross, &rentable, &b.Floors, &b.Basement,
		&b.Owner.Name, &b.Owner.USCC, &b.Operator.Name, &b.Operator.USCC, &b.Keeper, &b.Phone, &b.Theme.Name, &classes, &b.Opened,
		&b.ChangedBy, scanTime(&b.ChangedAt), &b.Reason)
	b.Kind, b.Grade, b.Gross, b.Rentable = buildings.Kind(kind), buildings.Grade(grade), buildings.Area(gross), buildings.Area(rentable)
	if classes != "" {
		b.Theme.Classes = strings.Split(classes, ",")
	}
	return b, err
}

// Buildings returns the latest version of every building, by code.
func (s *BuildingStore) Buildings(ctx context.Context) ([]buildings.Building, error) {
	out, err := queryAll(ctx, s.db, `SELECT `+prefixed("b.", buildingColumns)+` FROM building_versions b
WHERE b.version = (SELECT MAX(c.version) FROM building_versions c WHERE c.code = b.code) ORDER BY b.code`, nil, scanBuilding)
	if err != nil {
		return nil, fmt.Errorf("store: buildings: %w", err)
	}
	return out, nil
}

// BuildingVersions returns every version of a building, latest first.
func (s *BuildingStore) BuildingVersions(ctx context.Context, code string) ([]buildings.Building, error) {
	out, err := queryAll(ctx, s.db, `SELECT `+buildingColumns+` FROM building_versions WHERE code = ? ORDER BY version DESC`,
		[]any{code}, scanBuilding)
	if err != nil {
		return nil, fmt.Errorf("store: building versions: %w", err)
	}
	if len(out) == 0 {
		return nil, apperr.NotFoundf("楼宇%s不存在", code)
	}
	return out, nil
}

const (
	roomColumns      = `building, version, room, floor, area, rentable`
	occupancyColumns = `building, version, seq, room, uscc, firm, area, from_date, to_date, registered, present, source_row`
)

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// AddSpace appends a version of a building's space with its audit entry.
func (s *BuildingStore) AddSpace(ctx context.Context, sp *buildings.Space, e audit.Entry) error {
	return s.db.inBulkTx(ctx, func(t *tx) error {
		if err := addSpace(ctx, t, sp); err != nil {
			return err
		}
		if err := changed(ctx, t); err != nil {
			return fmt.Errorf("store: add space: %w", err)
		}
		return appendAudit(ctx, t, e)
	})
}

// addSpace writes a space version, its rooms and occupancies; a version
// already taken is a conflict.
func addSpace(ctx context.Context, t *tx, sp *buildings.Space) error {
	var last int
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM building_spaces WHERE building = ?`, sp.Building).Scan(&last); err != nil {
		return fmt.Errorf("store: add space: %w", err)
	}
	if last >= sp.Version {
		return apperr.Conflictf("楼宇%s的台账已被他人更新,请刷新后重试", sp.Building)
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO building_spaces (building, version, source_file, source_sha256, by_user, at, note)
VALUES (`+marks(7)+`)`, sp.Building, sp.Version, sp.SourceFile, sp.SHA256, sp.By, t.dialect.timeArg(sp.At), sp.Note); err != nil {
		return fmt.Errorf("store: add space: %w", err)
	}
	if err := insertRows(ctx, t, "building_rooms", roomColumns, 6, len(sp.Rooms), func(i int) []any {
		r := &sp.Rooms[i]
		return []any{sp.Building, sp.Version, r.Number, r.Floor, int64(r.Area), bit(r.Rentable)}
	}); err != nil {
		return fmt.Errorf("store: add space: %w", err)
	}
	if err := insertRows(ctx, t, "building_occupancies", occupancyColumns, 12, len(sp.Occupancies), func(i int) []any {
		o := &sp.Occupancies[i]
		row := 0
		if i < len(sp.Rows) {
			row = sp.Rows[i]
		}
		return []any{sp.Building, sp.Version, i + 1, o.Room, o.USCC, o.Firm, int64(o.Area), o.From, o.To, bit(o.Registered), bit(o.Present), row}
	}); err != nil {
		return fmt.Errorf("store: add space: %w", err)
	}
	return nil
}

// LatestSpaces returns the latest space of every building that has one.
func (s *BuildingStore) LatestSpaces(ctx context.Context) (map[string]*buildings.Space, error) {
	return s.latestSpaces(ctx, "")
}

// LatestSpace returns a building's latest space, nil when it has none.
func (s *BuildingStore) LatestSpace(ctx context.Context, code string) (*buildings.Space, error) {
	spaces, err := s.latestSpaces(ctx, code)
	return spaces[code], err
}

// latestSpaces reads the latest space of one building (code) or of all
// ("").
func (s *BuildingStore) latestSpaces(ctx context.Context, code string) (map[string]*buildings.Space, error) {
	latest := `(SELECT building, MAX(version) AS version FROM building_spaces GROUP BY building)`
	var args []any
	if code != "" {
		latest = `(SELECT building, MAX(version) AS version FROM building_spaces WHERE building = ? GROUP BY building)`
		args = []any{code}
	}
	heads, err := queryAll(ctx, s.db, `SELECT s.building, s.version, s.source_file, s.source_sha256, s.by_user, s.at, s.note
FROM building_spaces s JOIN `+latest+` l ON l.building = s.building AND l.version = s.version`, args,
		func(row rowScanner) (*buildings.Space, error) {
			sp := &buildings.Space{}
			err := row.Scan(&sp.Building, &sp.Version, &sp.SourceFile, &sp.SHA256, &sp.By, scanTime(&sp.At), &sp.Note)
			return sp, err
		})
	if err != nil {
		return nil, fmt.Errorf("store: spaces: %w", err)
	}
	out := make(map[string]*buildings.Space, len(heads))
	for _, sp := range heads {
		out[sp.Building] = sp
	}
	rows, err := s.db.query(ctx, `SELECT r.building, r.room, r.floor, r.area, r.rentable FROM building_rooms r
JOIN `+latest+` l ON l.building = r.building AND l.version = r.version ORDER BY r.building, r.floor, r.room`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: rooms: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var r buildings.Room
		var area int64
		var rentable int
		if err := rows.Scan(&code, &r.Number, &r.Floor, &area, &rentable); err != nil {
			return nil, fmt.Errorf("store: rooms: %w", err)
		}
		r.Area, r.Rentable = buildings.Area(area), rentable == 1
		out[code].Rooms = append(out[code].Rooms, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: rooms: %w", err)
	}
	occ, err := s.db.query(ctx, `SELECT o.building, o.room, o.uscc, o.firm, o.area, o.from_date, o.to_date, o.registered, o.present, o.source_row
FROM building_occupancies o JOIN `+latest+` l ON l.building = o.building AND l.version = o.version ORDER BY o.building, o.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: occupancies: %w", err)
	}
	defer occ.Close()
	for occ.Next() {
		var code string
		var o buildings.Occupancy
		var area int64
		var registered, present, row int
		if err := occ.Scan(&code, &o.Room, &o.USCC, &o.Firm, &area, &o.From, &o.To, &registered, &present, &row); err != nil {
			return nil, fmt.Errorf("store: occupancies: %w", err)
		}
		o.Area, o.Registered, o.Present = buildings.Area(area), registered == 1, present == 1
		out[code].Occupancies = append(out[code].Occupancies, o)
		out[code].Rows = append(out[code].Rows, row)
	}
	return out, occ.Err()
}

const taxColumns = `uscc, building, period, caliber, version, amount_fen, source_file, source_sha256, source_row, imported_by, imported_at`

// AppendTax adds versions of tax figures with the import's audit entry.
func (s *BuildingStore) AppendTax(ctx context.Context, ts []buildings.Tax, e audit.Entry) error {
	return s.db.inBulkTx(ctx, func(t *tx) error {
		if err := insertRows(ctx, t, "building_tax", taxColumns, 11, len(ts), func(i int) []any {
			x := &ts[i]
			return []any{x.USCC, x.Building, x.Period, string(x.Caliber), x.Version, int64(x.Amount), x.SourceFile, x.SHA256,
				x.SourceRow, x.ImportedBy, t.dialect.timeArg(x.ImportedAt)}
		}); err != nil {
			return fmt.Errorf("store: append tax: %w", err)
		}
		if err := changed(ctx, t); err != nil {
			return fmt.Errorf("store: append tax: %w", err)
		}
		return appendAudit(ctx, t, e)
	})
}

// TaxFigures returns the latest version of every tax figure of the
// periods on the caliber ("" for every caliber). Every version is read
// and the latest kept here: corrections are few, and the scan by period
// is cheaper than asking for each figure's latest version.
func (s *BuildingStore) TaxFigures(ctx context.Context, periods []string, caliber buildings.Caliber) ([]buildings.TaxFigure, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(periods)+1)
	for _, p := range periods {
		args = append(args, p)
	}
	q := `SELECT uscc, building, period, caliber, version, amount_fen FROM building_tax WHERE period IN (` + marks(len(periods)) + `)`
	if caliber != "" {
		q += ` AND caliber = ?`
		args = append(args, string(caliber))
	}
	rows, err := s.db.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: tax: %w", err)
	}
	defer rows.Close()
	type key struct {
		uscc, building, period, caliber string
	}
	at := map[key]int{}
	var out []buildings.TaxFigure
	for rows.Next() {
		var f buildings.TaxFigure
		var cal string
		var amount int64
		if err := rows.Scan(&f.USCC, &f.Building, &f.Period, &cal, &f.Version, &amount); err != nil {
			return nil, fmt.Errorf("store: tax: %w", err)
		}
		f.Caliber, f.Amount = buildings.Caliber(cal), money.Fen(amount)
		k := key{f.USCC, f.Building, f.Period, cal}
		switch i, ok := at[k]; {
		case !ok:
			at[k] = len(out)
			out = append(out, f)
		case f.Version > out[i].Version:
			out[i] = f
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: tax: %w", err)
	}
	return out, nil
}

// Version changes with every write.
func (s *BuildingStore) Version(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.queryRow(ctx, `SELECT n FROM buildings_changes`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: buildings version: %w", err)
	}
	return n, nil
}

// AddVisit stores a visit with its findings, files and audit entry.
func (s *BuildingStore) AddVisit(ctx context.Context, v *buildings.Visit, files []buildings.StoredFile, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM building_visits`).Scan(&v.ID); err != nil {
			return fmt.Errorf("store: add visit: %w", err)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO building_visits (id, building, visit_date, team, note, filed_by, filed_at)
VALUES (`+marks(7)+`)`, v.ID, v.Building, v.Date, v.Team, v.Note, v.FiledBy, t.dialect.timeArg(v.FiledAt)); err != nil {
			return fmt.Errorf("store: add visit: %w", err)
		}
		for i, f := range v.Findings {
			if _, err := t.ExecContext(ctx, `INSERT INTO building_findings (visit_id, seq, room, result, firm, uscc, note) VALUES (`+marks(7)+`)`,
				v.ID, i+1, f.Room, string(f.Result), f.Firm, f.USCC, f.Note); err != nil {
				return fmt.Errorf("store: add visit: %w", err)
			}
		}
		var id int64
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM building_visit_files`).Scan(&id); err != nil {
			return fmt.Errorf("store: add visit: %w", err)
		}
		v.Files = nil
		for _, f := range files {
			id++
			if _, err := t.ExecContext(ctx, `INSERT INTO building_visit_files (id, visit_id, name, content_type, size, sha256, data)
VALUES (`+marks(7)+`)`, id, v.ID, f.Name, f.ContentType, f.Size, f.SHA256, f.Data); err != nil {
				return fmt.Errorf("store: visit file: %w", err)
			}
			f.File.ID = id
			v.Files = append(v.Files, f.File)
		}
		if err := changed(ctx, t); err != nil {
			return fmt.Errorf("store: add visit: %w", err)
		}
		return appendAudit(ctx, t, e)
	})
}

const visitSelect = `SELECT v.id, v.building, v.visit_date, v.team, v.note, v.filed_by, v.filed_at,
	COALESCE(d.status, 'filed'), COALESCE(d.decided_by, ''), d.decided_at, COALESCE(d.note, ''), COALESCE(d.space_version, 0)
FROM building_visits v LEFT JOIN building_visit_decisions d ON d.visit_id = v.id`

func (s *BuildingStore) visits(ctx context.Context, where string, args ...any) ([]buildings.Visit, error) {
	out, err := queryAll(ctx, s.db, visitSelect+` WHERE `+where+` ORDER BY v.visit_date DESC, v.id DESC`, args,
		func(row rowScanner) (buildings.Visit, error) {
			var v buildings.Visit
			var status string
			err := row.Scan(&v.ID, &v.Building, &v.Date, &v.Team, &v.Note, &v.FiledBy, scanTime(&v.FiledAt), &status, &v.DecidedBy,
				scanTime(&v.DecidedAt), &v.DecisionNote, &v.SpaceVersion)
			v.Status = buildings.VisitStatus(status)
			return v, err
		})
	if err != nil {
		return nil, fmt.Errorf("store: visits: %w", err)
	}
	for i := range out {
		v := &out[i]
		if v.Findings, err = queryAll(ctx, s.db, `SELECT room, result, firm, uscc, note FROM building_findings WHERE visit_id = ? ORDER BY seq`,
			[]any{v.ID}, func(row rowScanner) (buildings.Finding, error) {
				var f buildings.Finding
				var result string
				err := row.Scan(&f.Room, &result, &f.Firm, &f.USCC, &f.Note)
				f.Result = buildings.Result(result)
				return f, err
			}); err != nil {
			return nil, fmt.Errorf("store: findings: %w", err)
		}
		if v.Files, err = queryAll(ctx, s.db, `SELECT id, name, content_type, size, sha256 FROM building_visit_files WHERE visit_id = ? ORDER BY id`,
			[]any{v.ID}, func(row rowScanner) (buildings.File, error) {
				var f buildings.File
				err := row.Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256)
				return f, err
			}); err != nil {
			return nil, fmt.Errorf("store: visit files: %w", err)
		}
	}
	return out, nil
}

// Visits returns a building's visits, the latest first.
func (s *BuildingStore) Visits(ctx context.Context, building string) ([]buildings.Visit, error) {
	return s.visits(ctx, `v.building = ?`, building)
}

// Visit returns one visit.
func (s *BuildingStore) Visit(ctx context.Context, id int64) (*buildings.Visit, error) {
	vs, err := s.visits(ctx, `v.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, apperr.NotFoundf("扫楼记录%d不存在", id)
	}
	return &vs[0], nil
}

// DecideVisit records a decision on a visit, with the space it makes.
func (s *BuildingStore) DecideVisit(ctx context.Context, v *buildings.Visit, next *buildings.Space, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM building_visit_decisions WHERE visit_id = ?`, v.ID).Scan(&n); err != nil {
			return fmt.Errorf("store: decide visit: %w", err)
		}
		if n > 0 {
			return apperr.Conflictf("该扫楼记录已由他人处理,请刷新后查看")
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO building_visit_decisions (visit_id, status, decided_by, decided_at, note, space_version)
VALUES (`+marks(6)+`)`, v.ID, string(v.Status), v.DecidedBy, t.dialect.timeArg(v.DecidedAt), v.DecisionNote, v.SpaceVersion); err != nil {
			return fmt.Errorf("store: decide visit: %w", err)
		}
		if next != nil {
			if err := addSpace(ctx, t, next); err != nil {
				return err
			}
		}
		if err := changed(ctx, t); err != nil {
			return fmt.Errorf("store: decide visit: %w", err)
		}
		return appendAudit(ctx, t, e)
	})
}

// VisitFile returns a visit's file with its bytes.
func (s *BuildingStore) VisitFile(ctx context.Context, id int64) (*buildings.StoredFile, error) {
	var f buildings.StoredFile
	err := s.db.queryRow(ctx, `SELECT id, visit_id, name, content_type, size, sha256, data FROM building_visit_files WHERE id = ?`, id).
		Scan(&f.ID, &f.Visit, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("文件不存在")
	}
	if err != nil {
		return nil, fmt.Errorf("store: visit file: %w", err)
	}
	return &f, nil
}
