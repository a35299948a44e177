package buildings

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Room is a unit of space of a building (a floor's room or suite).
type Room struct {
	Floor    int    `json:"floor"` // negative below ground
	Number   string `json:"number"`
	Area     Area   `json:"area"`
	Rentable bool   `json:"rentable"` // for rent (not the owner's own use or common area)
}

// Occupancy is a firm in a room for a time. A firm outside the directory
// (no USCC, or one the directory lacks) is a lead kept by name.
type Occupancy struct {
	Room       string `json:"room"`
	USCC       string `json:"uscc,omitempty"`
	Firm       string `json:"firm"`
	Area       Area   `json:"area"`
	From       string `json:"from"`         // YYYY-MM-DD
	To         string `json:"to,omitempty"` // YYYY-MM-DD, "" while it lasts
	Registered bool   `json:"registered"`   // 注册在楼: its registered address is this building
	Present    bool   `json:"present"`      // 实际在楼: it works here
}

// Current reports whether the occupancy holds on day (YYYY-MM-DD).
func (o Occupancy) Current(day string) bool {
	return o.From <= day && (o.To == "" || day <= o.To)
}

// Space is one version of a building's rooms and occupancies, with its
// provenance.
type Space struct {
	Building    string      `json:"building"`
	Version     int         `json:"version"`
	Rooms       []Room      `json:"rooms"`
	Occupancies []Occupancy `json:"occupancies"`
	SourceFile  string      `json:"source_file"`
	SHA256      string      `json:"source_sha256"`
	By          string      `json:"by"`
	At          time.Time   `json:"at"`
	Note        string      `json:"note"`
	// Rows are the sheet rows the occupancies came from (0 for a room
	// without a tenant or a version made by a visit), index for index.
	Rows []int `json:"-"`
}

// SpaceProblem is what is wrong with a line of a space: which room or
// occupancy (index) and why.
type SpaceProblem struct {
	Room  string
	Index int // the occupancy's index, -1 for a room
	Msg   string
}

// Check lists what is wrong with a space: a room listed twice or without
// an area, an occupancy of a room that is not listed, with no area or one
// above the room's, dates that are not dates or run backwards, and
// occupancies of one room that overlap in time and together exceed it.
func (s *Space) Check() []SpaceProblem {
	var probs []SpaceProblem
	rooms := make(map[string]Room, len(s.Rooms))
	for _, r := range s.Rooms {
		r.Number = strings.TrimSpace(r.Number)
		switch {
		case r.Number == "":
			probs = append(probs, SpaceProblem{Room: "", Index: -1, Msg: fmt.Sprintf("%d层有房号为空的房间", r.Floor)})
		case rooms[r.Number] != Room{}:
			probs = append(probs, SpaceProblem{Room: r.Number, Index: -1, Msg: fmt.Sprintf("房号%s重复", r.Number)})
		case r.Area <= 0:
			probs = append(probs, SpaceProblem{Room: r.Number, Index: -1, Msg: fmt.Sprintf("房间%s的面积应大于0", r.Number)})
		}
		rooms[r.Number] = r
	}
	byRoom := map[string][]int{}
	for i, o := range s.Occupancies {
		bad := func(format string, args ...any) {
			probs = append(probs, SpaceProblem{Room: o.Room, Index: i, Msg: fmt.Sprintf(format, args...)})
		}
		room, ok := rooms[o.Room]
		switch {
		case strings.TrimSpace(o.Firm) == "":
			bad("房间%s的入驻企业名称为空", o.Room)
		case !ok:
			bad("房号%s不在本楼的房间中", o.Room)
		case o.Area <= 0:
			bad("%s在%s的使用面积应大于0", o.Firm, o.Room)
		case o.Area > room.Area:
			bad("%s在%s的使用面积%s平方米大于房间面积%s平方米", o.Firm, o.Room, o.Area, room.Area)
		case !isDate(o.From):
			bad("%s的入驻日期“%s”应为2025-03-01这样的日期", o.Firm, o.From)
		case o.To != "" && !isDate(o.To):
			bad("%s的迁出日期“%s”应为2025-03-01这样的日期", o.Firm, o.To)
		case o.To != "" && o.To < o.From:
			bad("%s的迁出日期%s早于入驻日期%s", o.Firm, o.To, o.From)
		default:
			byRoom[o.Room] = append(byRoom[o.Room], i)
		}
	}
	numbers := make([]string, 0, len(byRoom))
	for n := range byRoom {
		numbers = append(numbers, n)
	}
	sort.Strings(numbers)
	for _, n := range numbers {
		if p, ok := s.overfull(rooms[n], byRoom[n]); ok {
			probs = append(probs, p)
		}
	}
	return probs
}

// overfull finds the first day on which a room's occupancies together
// take more than its area. Only a start day can raise the sum, so those
// are the days to look at.
func (s *Space) overfull(room Room, idx []int) (SpaceProblem, bool) {
	for _, i := range idx {
		day := s.Occupancies[i].From
		var sum Area
		var firms []string
		for _, j := range idx {
			if o := s.Occupancies[j]; o.Current(day) {
				sum += o.Area
				firms = append(firms, o.Firm)
			}
		}
		if sum > room.Area {
			return SpaceProblem{Room: room.Number, Index: i, Msg: fmt.Sprintf("房间%s在%s同时入驻%s,使用面积合计%s平方米,大于房间面积%s平方米",
				room.Number, day, strings.Join(firms, "、"), sum, room.Area)}, true
		}
	}
	return SpaceProblem{}, false
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
