package evidence

import (
	"bytes"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		typ  string
		err  string
	}{
		{"会议纪要.pdf", []byte("%PDF-1.7\n..."), "application/pdf", ""},
		{"现场照片.JPG", []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2}, "image/jpeg", ""},
		{"C:\\材料\\台账.xlsx", []byte("PK\x03\x04rest"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""},
		{"说明.txt", []byte("已完成签约"), "text/plain; charset=utf-8", ""},
		{"报告.pdf", []byte("MZ\x90\x00 an executable"), "", "佐证文件“报告.pdf”的内容不是PDF文件(与文件名不符)"},
		{"照片.png", []byte{0xFF, 0xD8, 0xFF}, "", "佐证文件“照片.png”的内容不是PNG文件(与文件名不符)"},
		{"程序.exe", []byte("MZ"), "", "佐证文件“程序.exe”的类型不受理,应为PDF、OFD、JPG、PNG、Word、Excel或TXT"},
		{"空.pdf", nil, "", "佐证文件“空.pdf”是空文件"},
		{".pdf", []byte("%PDF-"), "", "佐证文件名“.pdf”应为1到200个字的文件名"},
		{"大.pdf", append([]byte("%PDF-"), bytes.Repeat([]byte{0}, MaxBytes)...), "", "佐证文件“大.pdf”有10.0 MB,超过10 MB"},
		{"二进制.txt", []byte("a\x00b"), "", "佐证文件“二进制.txt”不是UTF-8文本"},
	} {
		typ, err := Check(tt.name, tt.data)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if typ != tt.typ || got != tt.err {
			t.Errorf("%s: %q %q, want %q %q", tt.name, typ, got, tt.typ, tt.err)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("纪要.pdf", []byte("%PDF-1.4"))
	f.Add("a.txt", []byte("\xff"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		typ, err := Check(name, data)
		if (err == nil) == (typ == "") {
			t.Fatalf("%q: type %q, error %v", name, typ, err)
		}
		if err == nil && !strings.Contains(typ, "/") {
			t.Fatalf("type %q", typ)
		}
	})
}
