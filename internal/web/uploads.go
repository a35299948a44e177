package web

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"svcplan/internal/registry"
	"svcplan/internal/xlsx"
)

// An upload lives on disk from the moment it arrives until its import ends
// or it is abandoned. Between upload and import the user confirms which
// column is which; the file is read twice (preview, import), never held in
// memory.

// uploadTTL is how long an upload waits for its import, and how long the
// result of an import stays viewable (with its rejected rows).
const uploadTTL = 2 * time.Hour

// maxUploadBytes bounds an uploaded file: a 400,000-row directory is about
// 60 MB as CSV and 30 MB as .xlsx.
const maxUploadBytes = 256 << 20

// Upload states.
const (
	uploadWaiting = "waiting" // for the mapping to be confirmed
	uploadRunning = "running"
	uploadDone    = "done"
)

// pendingImport is an uploaded file and what became of it.
type pendingImport struct {
	ID      string
	Owner   string // username of who uploaded it: nobody else sees it
	Kind    string // registry.KindEnterprises or KindRevenue
	Path    string // the file on disk
	Name    string // the file's name as uploaded
	SHA256  string
	Size    int64
	Format  xlsx.Format
	Sheet   string
	Options registry.ImportOptions
	Mapping registry.Mapping
	// MapErr says what is wrong with the detected header, for the user
	// to settle on the mapping form.
	MapErr  string
	Preview [][]string
	Created time.Time

	read atomic.Int64 // rows read so far while running

	mu     sync.Mutex
	state  string
	ended  time.Time
	result *registry.ImportResult
	err    error
}

// status returns the state and, once done, the outcome.
func (p *pendingImport) status() (state string, res *registry.ImportResult, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state, p.result, p.err
}

// start moves a waiting upload to running; false if it was not waiting.
func (p *pendingImport) start() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state != uploadWaiting {
		return false
	}
	p.state = uploadRunning
	return true
}

func (p *pendingImport) finish(res *registry.ImportResult, err error, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state, p.result, p.err, p.ended = uploadDone, res, err, now
	os.Remove(p.Path)
}

// uploads keeps the pending imports of every user, in memory: a restart
// forgets them (the files are in the upload directory, cleared at start).
type uploads struct {
	dir string
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*pendingImport
}

func newUploads(dir string, now func() time.Time) (*uploads, error) {
	if dir == "" {
		dir = os.TempDir()
	}
	d, err := os.MkdirTemp(dir, "svcplan-uploads-")
	if err != nil {
		return nil, err
	}
	return &uploads{dir: d, now: now, m: map[string]*pendingImport{}}, nil
}

// create makes the file an upload is written to.
func (u *uploads) create() (*os.File, error) {
	return os.CreateTemp(u.dir, "upload-*")
}

// add registers an upload, dropping expired ones.
func (u *uploads) add(p *pendingImport) {
	b := make([]byte, 12)
	rand.Read(b)
	p.ID, p.Created, p.state = hex.EncodeToString(b), u.now(), uploadWaiting
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sweepLocked()
	u.m[p.ID] = p
}

// get returns the owner's upload with the ID.
func (u *uploads) get(id, owner string) (*pendingImport, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sweepLocked()
	p, ok := u.m[id]
	if !ok || p.Owner != owner {
		return nil, false
	}
	return p, true
}

// drop forgets a waiting upload and deletes its file.
func (u *uploads) drop(p *pendingImport) {
	if state, _, _ := p.status(); state == uploadRunning {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	{
		delete(u.m, p.ID)
		os.Remove(p.Path)
	}
}

func (u *uploads) sweepLocked() {
	now := u.now()
	for id, p := range u.m {
		p.mu.Lock()
		expired := p.state == uploadWaiting && now.Sub(p.Created) > uploadTTL ||
			p.state == uploadDone && now.Sub(p.ended) > uploadTTL
		p.mu.Unlock()
		if expired {
			delete(u.m, id)
			os.Remove(p.Path)
		}
	}
}

// close deletes every file; imports still running finish on their own.
func (u *uploads) close() error {
	return os.RemoveAll(u.dir)
}
