package buildings

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"svcplan/internal/apperr"
	"svcplan/internal/audit"
	"svcplan/internal/auth"
	"svcplan/internal/evidence"
)

// Upload is a file sent with a visit.
type Upload = evidence.Upload

// maxVisitFiles bounds the photos of one visit.
const maxVisitFiles = 10

// mayVisit reports whether u may file 扫楼 visits: the buildings' staff,
// and the units' own reporters for their buildings.
func mayVisit(u *auth.User) bool {
	return u != nil && (u.Can(auth.PermBuildingEdit) || u.Can(auth.PermProgressWrite))
}

// FileVisit files a visit to a building, with its photos: checked against
// the building's latest 台账, stored as filed until a staff member
// confirms it.
func (s *Service) FileVisit(ctx context.Context, actor audit.Actor, u *auth.User, v Visit, files []Upload) (*Visit, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	if !mayVisit(u) {
		return nil, apperr.Forbiddenf("%s无权填报扫楼记录", u.Role.Label())
	}
	versions, err := s.store.BuildingVersions(ctx, v.Building)
	if apperr.KindOf(err) == apperr.NotFound {
		return nil, apperr.InvalidFields([]string{fmt.Sprintf("没有楼宇编号为“%s”的楼宇", v.Building)}, map[string]string{"building": "没有该楼宇"})
	}
	if err != nil {
		return nil, err
	}
	if !u.InScope(versions[0].Unit) {
		return nil, apperr.Forbiddenf("无权填报其他单位楼宇的扫楼记录")
	}
	sp, err := s.store.LatestSpace(ctx, v.Building)
	if err != nil {
		return nil, err
	}
	if sp == nil {
		return nil, apperr.Invalidf("%s尚未导入台账,无法按房间核查:请先导入台账", versions[0].Name)
	}
	probs := v.Check(sp, s.now().Format("2006-01-02"))
	if len(files) > maxVisitFiles {
		probs["files"] = fmt.Sprintf("每次最多上传%d个文件", maxVisitFiles)
	}
	var stored []StoredFile
	for _, f := range files {
		typ, err := evidence.Check(f.Name, f.Data)
		if err != nil {
			probs["files"] = err.Error()
			continue
		}
		sum := sha256.Sum256(f.Data)
		stored = append(stored, StoredFile{File: File{Name: f.Name, ContentType: typ, Size: int64(len(f.Data)), SHA256: hex.EncodeToString(sum[:])}, Data: f.Data})
	}
	if len(probs) > 0 {
		return nil, invalid(probs)
	}
	v.FiledBy, v.FiledAt, v.Status = actor.Name, s.now().UTC(), VisitFiled
	if err := s.store.AddVisit(ctx, &v, stored, audit.New(v.FiledAt, actor, "building.visit", "building", v.Building, nil, v)); err != nil {
		return nil, err
	}
	s.wrote(ctx, nil)
	return &v, nil
}

// Visits returns a building's visits for a user who may see the building:
// the findings name firms, so they are left out for users who may not see
// firms, except on the visits they filed.
func (s *Service) Visits(ctx context.Context, u *auth.User, code string) ([]Visit, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	vs, err := s.store.Visits(ctx, code)
	if err != nil {
		return nil, err
	}
	if !u.CanSeeFirms() {
		for i := range vs {
			if vs[i].FiledBy != u.Username {
				vs[i].Findings, vs[i].Files = nil, nil
			}
		}
	}
	return vs, nil
}

// DecideVisit confirms a filed visit, whose findings then make the next
// version of the building's space, or rejects it with a reason.
func (s *Service) DecideVisit(ctx context.Context, actor audit.Actor, u *auth.User, id int64, confirm bool, note string) (*Visit, error) {
	if err := auth.Check(u, auth.PermBuildingEdit, ""); err != nil {
		return nil, err
	}
	v, err := s.store.Visit(ctx, id)
	if err != nil {
		return nil, err
	}
	versions, err := s.store.BuildingVersions(ctx, v.Building)
	if err != nil {
		return nil, err
	}
	if !u.InScope(versions[0].Unit) {
		return nil, apperr.Forbiddenf("无权处理其他单位楼宇的扫楼记录")
	}
	if v.Status != VisitFiled {
		return nil, apperr.Conflictf("该扫楼记录已%s", v.Status.Label())
	}
	v.DecidedBy, v.DecidedAt, v.DecisionNote = actor.Name, s.now().UTC(), note
	var next *Space
	if confirm {
		sp, err := s.store.LatestSpace(ctx, v.Building)
		if err != nil {
			return nil, err
		}
		if sp == nil {
			return nil, apperr.Conflictf("%s的台账不存在,无法按核查结果更新", versions[0].Name)
		}
		next = v.Apply(sp)
		if probs := next.Check(); len(probs) > 0 {
			return nil, apperr.Invalidf("按本次核查结果更新台账后有误,未确认:%s", probs[0].Msg)
		}
		next.SourceFile, next.By, next.At = fmt.Sprintf("扫楼记录#%d", v.ID), actor.Name, v.DecidedAt
		v.Status, v.SpaceVersion = VisitConfirmed, next.Version
	} else {
		if note == "" {
			return nil, apperr.InvalidFields([]string{"不采用扫楼记录须写明原因"}, map[string]string{"note": "请写明原因"})
		}
		v.Status = VisitRejected
	}
	if err := s.store.DecideVisit(ctx, v, next, audit.New(v.DecidedAt, actor, "building.visit_"+string(v.Status), "building", v.Building, nil,
		map[string]any{"visit": v.ID, "space_version": v.SpaceVersion, "note": note})); err != nil {
		return nil, err
	}
	if next != nil {
		s.wrote(ctx, s.withSpace(ctx, v.Building))
	} else {
		s.wrote(ctx, nil)
	}
	return v, nil
}

// VisitFile returns a visit's photo for the staff and the visit's filer.
func (s *Service) VisitFile(ctx context.Context, u *auth.User, id int64) (*StoredFile, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, err
	}
	f, err := s.store.VisitFile(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.store.Visit(ctx, f.Visit)
	if err != nil {
		return nil, err
	}
	if !u.CanSeeFirms() && v.FiledBy != u.Username {
		return nil, apperr.Forbiddenf("未授权查看该扫楼记录的文件")
	}
	return f, nil
}

// Rooms returns the rooms of a building's latest 台账 with their current
// tenants' names for a user who may see firms (names left out for the
// others), for the visit form.
func (s *Service) Rooms(ctx context.Context, u *auth.User, code string) (*Building, []RoomLine, error) {
	if err := auth.Check(u, auth.PermProgressRead, ""); err != nil {
		return nil, nil, err
	}
	versions, err := s.store.BuildingVersions(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	b, err := s.fullBoard(ctx)
	if err != nil {
		return nil, nil, err
	}
	sp, day := b.data.state.spaces[code], b.data.day
	if sp == nil {
		return &versions[0], nil, nil
	}
	out := make([]RoomLine, len(sp.Rooms))
	at := map[string]int{}
	for i, r := range sp.Rooms {
		out[i], at[r.Number] = RoomLine{Room: r}, i
	}
	for _, o := range sp.Occupancies {
		if o.Current(day) {
			l := &out[at[o.Room]]
			l.Tenants++
			if u.CanSeeFirms() {
				l.Firms = append(l.Firms, o.Firm)
			}
		}
	}
	return &versions[0], out, nil
}

// RoomLine is a room with its current tenants.
type RoomLine struct {
	Room
	Tenants int
	Firms   []string // names, for users who may see firms
}
