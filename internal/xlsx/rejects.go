package xlsx

import (
	"io"

	"svcplan/internal/table"
)

// WriteRejects writes refused rows as an .xlsx: 行号, 原因, then the
// file's own columns, so the sender can correct them and send them again.
func WriteRejects(w io.Writer, header []string, rows []table.Rejected) error {
	xw, err := NewWriter(w, "未导入的行")
	if err != nil {
		return err
	}
	if err := xw.WriteHeader(append([]string{"行号", "原因"}, header...)); err != nil {
		return err
	}
	row := make([]any, 0, len(header)+2)
	for _, r := range rows {
		row = append(row[:0], r.Row, r.Reason())
		for _, c := range r.Cells {
			row = append(row, c)
		}
		if err := xw.WriteRow(row); err != nil {
			return err
		}
	}
	return xw.Close()
}
