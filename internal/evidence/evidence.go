// Package evidence checks the files users attach as evidence (佐证材料:
// 督查督办's reports, 扫楼 photos): a known type whose bytes are what its
// name says, within a size limit.
package evidence

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// MaxBytes bounds an evidence file: scans and office documents,
// not videos.
const MaxBytes = 10 << 20

// evidenceKinds are the files accepted, by extension: the content type
// kept and the bytes the file must start with.
var evidenceKinds = map[string]struct {
	contentType string
	magic       [][]byte
}{
	".pdf":  {"application/pdf", [][]byte{[]byte("%PDF-")}},
	".jpg":  {"image/jpeg", [][]byte{{0xFF, 0xD8, 0xFF}}},
	".jpeg": {"image/jpeg", [][]byte{{0xFF, 0xD8, 0xFF}}},
	".png":  {"image/png", [][]byte{[]byte("\x89PNG\r\n\x1a\n")}},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", [][]byte{[]byte("PK\x03\x04")}},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [][]byte{[]byte("PK\x03\x04")}},
	".ofd":  {"application/ofd", [][]byte{[]byte("PK\x03\x04")}}, // 版式文件 (GB/T 33190)
	".doc":  {"application/msword", [][]byte{{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}}},
	".xls":  {"application/vnd.ms-excel", [][]byte{{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}}},
	".txt":  {"text/plain; charset=utf-8", nil},
}

// Upload is a file a user sent: its name as sent and its bytes.
type Upload struct {
	Name string
	Data []byte
}

// Check checks that a file is what its name says and within the
// size limit, and returns its content type.
func Check(name string, data []byte) (string, error) {
	base := filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	ext := strings.ToLower(filepath.Ext(base))
	kind, ok := evidenceKinds[ext]
	switch {
	case strings.TrimSpace(strings.TrimSuffix(base, filepath.Ext(base))) == "" || utf8.RuneCountInString(base) > 200:
		return "", fmt.Errorf("佐证文件名“%s”应为1到200个字的文件名", base)
	case !ok:
		return "", fmt.Errorf("佐证文件“%s”的类型不受理,应为PDF、OFD、JPG、PNG、Word、Excel或TXT", base)
	case len(data) == 0:
		return "", fmt.Errorf("佐证文件“%s”是空文件", base)
	case len(data) > MaxBytes:
		return "", fmt.Errorf("佐证文件“%s”有%.1f MB,超过%d MB", base, float64(len(data))/(1<<20), MaxBytes>>20)
	}
	if kind.magic == nil {
		if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
			return "", fmt.Errorf("佐证文件“%s”不是UTF-8文本", base)
		}
		return kind.contentType, nil
	}
	for _, m := range kind.magic {
		if bytes.HasPrefix(data, m) {
			return kind.contentType, nil
		}
	}
	return "", fmt.Errorf("佐证文件“%s”的内容不是%s文件(与文件名不符)", base, strings.ToUpper(strings.TrimPrefix(ext, ".")))
}
