// Package plans embeds the plan that svcplan ships with: 泰州医药高新区(高港区)
// 加快推动现代服务业高质量发展的实施方案(2025-2027年), 泰高新政办〔2025〕17号,
// as a plan file and the original text it quotes.
package plans

import "embed"

// FS holds the shipped plan files.
//
//go:embed *.yaml *.txt
var FS embed.FS

// Default is the name in FS of the plan loaded on first run.
const Default = "gaogang-services-2025-2027.yaml"
