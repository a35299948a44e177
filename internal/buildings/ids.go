package buildings

import "sync"

// firmIDs numbers the firms (by USCC) the service meets in tax figures,
// occupancies and the directory, so that the board works on slices
// indexed by number instead of maps keyed by USCC: at city scale a day's
// board is then no longer 400,000 map lookups. Numbers are only ever
// added, never changed, so what was numbered once stays valid for every
// later state, and slices built earlier are shorter, never wrong.
type firmIDs struct {
	mu sync.Mutex
	of map[string]int32
}

func newFirmIDs() *firmIDs { return &firmIDs{of: map[string]int32{}} }

// id is the firm's number, given now if it has none; -1 for "" (a firm
// known by name only).
func (d *firmIDs) id(uscc string) int32 {
	if uscc == "" {
		return -1
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	n, ok := d.of[uscc]
	if !ok {
		n = int32(len(d.of))
		d.of[uscc] = n
	}
	return n
}

// find is the firm's number, -1 when it has none.
func (d *firmIDs) find(uscc string) int32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if n, ok := d.of[uscc]; ok {
		return n
	}
	return -1
}

// len is how many firms are numbered: every number given so far is below it.
func (d *firmIDs) len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.of)
}
