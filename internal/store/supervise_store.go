package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/supervise"
)

// SuperviseStore keeps 督查督办's items, events and evidence
// (supervise.Store).
type SuperviseStore struct{ db *DB }

// NewSuperviseStore returns the supervision's store.
func NewSuperviseStore(db *DB) *SuperviseStore { return &SuperviseStore{db: db} }

const superviseItemColumns = `id, version, kind, task_code, title, source, lead_unit, partners, assigned_on, deadline, milestones,
	indicator, target, status, pending, updated_by, updated_at`

func insertSuperviseItem(ctx context.Context, t *tx, it *supervise.Item) error {
	milestones, err := json.Marshal(it.Milestones)
	if err != nil {
		return err
	}
	pending := ""
	if it.Pending != nil {
		b, err := json.Marshal(it.Pending)
		if err != nil {
			return err
		}
		pending = string(b)
	}
	_, err = t.ExecContext(ctx, `INSERT INTO supervise_items (`+superviseItemColumns+`) VALUES (`+marks(17)+`)`, it.ID, it.Version,
		string(it.Kind), it.Task, it.Title, it.Source, it.Lead, strings.Join(it.Partners, ","), it.AssignedOn, it.Deadline,
		string(milestones), it.Indicator, it.Target, string(it.Status), pending, it.UpdatedBy, t.dialect.timeArg(it.UpdatedAt))
	return err
}

func insertSuperviseEvent(ctx context.Context, t *tx, ev *supervise.Event) error {
	_, err := t.ExecContext(ctx, `INSERT INTO supervise_events (item_id, seq, act, unit_code, by_user, at, text, value, new_deadline)
VALUES (`+marks(9)+`)`, ev.Item, ev.Seq, string(ev.Act), ev.Unit, ev.By, t.dialect.timeArg(ev.At), ev.Text, ev.Value, ev.NewDeadline)
	return err
}

// AddItem stores a new item with the next number and its first event.
func (s *SuperviseStore) AddItem(ctx context.Context, it *supervise.Item, ev supervise.Event, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM supervise_items`).Scan(&it.ID); err != nil {
			return fmt.Errorf("store: add item: %w", err)
		}
		ev.Item = it.ID
		if err := insertSuperviseItem(ctx, t, it); err != nil {
			return fmt.Errorf("store: add item: %w", err)
		}
		if err := insertSuperviseEvent(ctx, t, &ev); err != nil {
			return fmt.Errorf("store: add item: %w", err)
		}
		e.ObjectID = fmt.Sprint(it.ID)
		return appendAudit(ctx, t, e)
	})
}

// Act stores an item's next version with its event and files; a version
// already taken is a conflict.
func (s *SuperviseStore) Act(ctx context.Context, next supervise.Item, ev supervise.Event, files []supervise.Evidence, e audit.Entry) error {
	return s.db.inTx(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT count(*) FROM supervise_items WHERE id = ? AND version >= ?`, next.ID, next.Version).Scan(&n); err != nil {
			return fmt.Errorf("store: act: %w", err)
		}
		if n > 0 {
			return apperr.Conflictf("事项已被他人更新,请刷新后重试")
		}
		if err := insertSuperviseItem(ctx, t, &next); err != nil {
			return fmt.Errorf("store: act: %w", err)
		}
		if err := insertSuperviseEvent(ctx, t, &ev); err != nil {
			return fmt.Errorf("store: act: %w", err)
		}
		var id int64
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM supervise_files`).Scan(&id); err != nil {
			return fmt.Errorf("store: act: %w", err)
		}
		for _, f := range files {
			id++
			if _, err := t.ExecContext(ctx, `INSERT INTO supervise_files (id, item_id, seq, name, content_type, size, sha256, data)
VALUES (`+marks(8)+`)`, id, ev.Item, ev.Seq, f.Name, f.ContentType, f.Size, f.SHA256, f.Data); err != nil {
				return fmt.Errorf("store: evidence: %w", err)
			}
		}
		return appendAudit(ctx, t, e)
	})
}

func scanSuperviseItem(rows rowScanner) (supervise.Item, error) {
	var it supervise.Item
	var kind, partners, milestones, status, pending string
	err := rows.Scan(&it.ID, &it.Version, &kind, &it.Task, &it.Title, &it.Source, &it.Lead, &partners, &it.AssignedOn, &it.Deadline,
		&milestones, &it.Indicator, &it.Target, &status, &pending, &it.UpdatedBy, scanTime(&it.UpdatedAt))
	if err != nil {
		return it, err
	}
	it.Kind, it.Status, it.Partners = supervise.Kind(kind), supervise.Status(status), []string{}
	if partners != "" {
		it.Partners = strings.Split(partners, ",")
	}
	if err := json.Unmarshal([]byte(milestones), &it.Milestones); err != nil {
		return it, err
	}
	if pending != "" {
		it.Pending = &supervise.Extension{}
		if err := json.Unmarshal([]byte(pending), it.Pending); err != nil {
			return it, err
		}
	}
	return it, nil
}

// Items returns the latest version of every item.
func (s *SuperviseStore) Items(ctx context.Context) ([]supervise.Item, error) {
	out, err := queryAll(ctx, s.db, `SELECT `+prefixed("a.", superviseItemColumns)+` FROM supervise_items a
WHERE a.version = (SELECT MAX(b.version) FROM supervise_items b WHERE b.id = a.id) ORDER BY a.id`, nil, scanSuperviseItem)
	if err != nil {
		return nil, fmt.Errorf("store: items: %w", err)
	}
	return out, nil
}

func (s *SuperviseStore) events(ctx context.Context, where string, args ...any) ([]supervise.Event, error) {
	out, err := queryAll(ctx, s.db, `SELECT item_id, seq, act, unit_code, by_user, at, text, value, new_deadline FROM supervise_events
`+where+` ORDER BY at, item_id, seq`, args, func(row rowScanner) (supervise.Event, error) {
		var ev supervise.Event
		var act string
		err := row.Scan(&ev.Item, &ev.Seq, &act, &ev.Unit, &ev.By, scanTime(&ev.At), &ev.Text, &ev.Value, &ev.NewDeadline)
		ev.Act = supervise.Act(act)
		return ev, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	return out, nil
}

// Item returns an item's latest version and its events with their files.
func (s *SuperviseStore) Item(ctx context.Context, id int64) (*supervise.Item, []supervise.Event, error) {
	it, err := scanSuperviseItem(s.db.queryRow(ctx, `SELECT `+superviseItemColumns+` FROM supervise_items WHERE id = ?
ORDER BY version DESC LIMIT 1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, apperr.NotFoundf("没有编号为%d的督办事项", id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: item: %w", err)
	}
	events, err := s.events(ctx, `WHERE item_id = ?`, id)
	if err != nil {
		return nil, nil, err
	}
	at := map[int]int{}
	for i, ev := range events {
		at[ev.Seq] = i
	}
	rows, err := s.db.query(ctx, `SELECT id, seq, name, content_type, size, sha256 FROM supervise_files WHERE item_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("store: evidence: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f supervise.EvidenceInfo
		var seq int
		if err := rows.Scan(&f.ID, &seq, &f.Name, &f.ContentType, &f.Size, &f.SHA256); err != nil {
			return nil, nil, fmt.Errorf("store: evidence: %w", err)
		}
		if i, ok := at[seq]; ok {
			events[i].Files = append(events[i].Files, f)
		}
	}
	return &it, events, rows.Err()
}

// Evidence returns a stored file.
func (s *SuperviseStore) Evidence(ctx context.Context, id int64) (*supervise.Evidence, error) {
	var f supervise.Evidence
	err := s.db.queryRow(ctx, `SELECT id, item_id, name, content_type, size, sha256, data FROM supervise_files WHERE id = ?`, id).Scan(
		&f.ID, &f.Item, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFoundf("没有这个佐证文件")
	}
	if err != nil {
		return nil, fmt.Errorf("store: evidence: %w", err)
	}
	return &f, nil
}

// Events returns the events since a time.
func (s *SuperviseStore) Events(ctx context.Context, since time.Time) ([]supervise.Event, error) {
	return s.events(ctx, `WHERE at >= ?`, s.db.dialect.timeArg(since))
}
