// fidelity - what hyperguild's reader makes of session logs, line by line.
//
//	fidelity read FILE...   for each line of each file, as Read in
//	                        hyperguild's session.go reads it (bufio.Scanner
//	                        with a 1 MiB limit, then json.Unmarshal into
//	                        Entry) but going on after an error, print
//	                        "FILE:N ok DUMP", "FILE:N stop ERROR" or
//	                        "FILE:N skip" (an empty line), then
//	                        "FILE first-stop N" (0: Read reads it all)
//	fidelity gen FILE       write adversarial entries, most with
//	                        json.Marshal as Append writes them
//
// DUMP is the canonical text of the fields that hgtop's C side prints the
// same way (tests/fidelity/dump.c).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"hgtop.test/fidelity/session"
)

// shortText is hgtop's HG_SHORT_TEXT_MAX: shorter texts are dumped whole.
const shortText = 512

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "\\x%02x", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func text(s string) string {
	if len(s) > 0 && len(s) < shortText {
		return fmt.Sprintf("%d:%s", len(s), quote(s))
	}
	return fmt.Sprintf("%d", len(s))
}

func dump(e *session.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "session_id=%s timestamp=%s skill=%s phase=%s project_root=%s input=%t",
		quote(e.SessionID), e.Timestamp.Format(time.RFC3339Nano), quote(e.Skill),
		quote(e.Phase), quote(e.ProjectRoot), len(e.Input) > 0)
	fmt.Fprintf(&b, " final_status=%s file_path=%s model_used=%s duration_ms=%d message=%s",
		quote(e.FinalStatus), quote(e.FilePath), quote(e.ModelUsed), e.DurationMs, text(e.Message))
	fmt.Fprintf(&b, " attempts=%d", len(e.Attempts))
	for _, a := range e.Attempts {
		fmt.Fprintf(&b, " {attempt=%d model=%s tier=%s duration_ms=%d warm_start=%t verified=%t"+
			" verdict=%s feedback=%s output_summary=%t runner_output=%t}",
			a.Attempt, quote(a.Model), quote(a.Tier), a.DurationMs, a.WarmStart, a.Verified,
			quote(a.Verdict), text(a.Feedback), a.OutputSummary != "", a.RunnerOutput != "")
	}
	return b.String()
}

// line is what Read does with one line: the scanner, then Unmarshal.
func line(raw []byte, newline bool) string {
	data := raw
	if newline {
		data = append(append([]byte{}, raw...), '\n')
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 256*1024), 1<<20)
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return "stop " + err.Error()
		}
		return "skip"
	}
	tok := sc.Bytes()
	if len(tok) == 0 {
		return "skip"
	}
	var e session.Entry
	if err := json.Unmarshal(tok, &e); err != nil {
		return "stop " + err.Error()
	}
	return "ok " + dump(&e)
}

func read(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	first := 0
	for n := 1; len(data) > 0; n++ {
		var raw []byte
		newline := false
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data, newline = data[:i], data[i+1:], true
		} else {
			raw, data = data, nil
		}
		out := line(raw, newline)
		if first == 0 && strings.HasPrefix(out, "stop ") {
			first = n
		}
		fmt.Fprintf(w, "%s:%d %s\n", path, n, out)
	}
	fmt.Fprintf(w, "%s first-stop %d\n", path, first)
	return nil
}

func deep(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

// sized pads e's message so that its line is exactly n bytes long.
func sized(e session.Entry, n int) []byte {
	e.Message = ""
	b, _ := json.Marshal(e)
	e.Message = strings.Repeat("m", n-len(b)-len(`,"message":""`))
	b, _ = json.Marshal(e)
	return b
}

func gen(path string) error {
	t0 := time.Date(2026, 11, 24, 10, 4, 5, 123456789, time.UTC)
	zone := time.FixedZone("", -(7*3600 + 30*60))
	base := func(id string) session.Entry {
		return session.Entry{SessionID: id, Timestamp: t0, Skill: "fidelity", FinalStatus: "ok"}
	}
	var lines [][]byte
	add := func(e session.Entry) {
		b, err := json.Marshal(e)
		if err != nil {
			panic(err)
		}
		lines = append(lines, b)
	}
	raw := func(s string) { lines = append(lines, []byte(s)) }

	e := base("plain")
	e.Phase, e.ProjectRoot, e.FilePath, e.ModelUsed = "build", "/src/app", "a/b.c", "qwen"
	e.DurationMs, e.Message = 1234, "done"
	e.Input = json.RawMessage(`{"prompt":"hi","n":[1,2.5e3,-0,true,null]}`)
	e.Attempts = []session.Attempt{
		{Attempt: 1, Model: "small", Tier: "local", DurationMs: 10, Verdict: "escalate",
			Feedback: "try again", RunnerOutput: "out\n"},
		{Attempt: 2, Model: "big", Tier: "managed", DurationMs: 20, WarmStart: true,
			Verified: true, Verdict: "accept", OutputSummary: "sum"},
	}
	add(e)
	e = base("control-chars")
	e.Message = "a\x01b\x1fc\x7fd\te\nf\rg\x08h\x0c"
	add(e)
	e = base("nul-in-string")
	e.Message = "before\x00after"
	add(e)
	e = base("nul-first")
	e.Skill = "\x00skill"
	add(e)
	e = base("unicode")
	e.Message = "emoji 😀 ünïcödé 中文 <html> & \u2028 \u2029 \ufeff"
	e.Skill = "ß"
	add(e)
	e = base("invalid-utf8")
	e.Message = "bad \xff\xfe bytes \xc3"
	add(e)
	e = base("int-limits")
	e.DurationMs = math.MaxInt64
	e.Attempts = []session.Attempt{{Attempt: math.MinInt64, DurationMs: -1}}
	add(e)
	e = base("int-beyond-2^53")
	e.DurationMs = 1<<53 + 1
	add(e)
	e = base("int-2^53")
	e.DurationMs = 1 << 53
	e.Attempts = []session.Attempt{{Attempt: -(1 << 53), DurationMs: 9007199254740992}}
	add(e)
	e = base("zero-time")
	e.Timestamp = time.Time{}
	add(e)
	e = base("zone")
	e.Timestamp = t0.In(zone)
	add(e)
	e = base("year-9999")
	e.Timestamp = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	add(e)
	e = base("year-1")
	e.Timestamp = time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC)
	add(e)
	e = base("year-2300")
	e.Timestamp = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	add(e)
	e = base("long-texts")
	e.Message = strings.Repeat("x", shortText)
	e.Attempts = []session.Attempt{{Feedback: strings.Repeat("y", 100000), RunnerOutput: "\x1b[31mred\x1b[0m"}}
	add(e)
	e = base("many-attempts")
	for i := 0; i < 40; i++ {
		e.Attempts = append(e.Attempts, session.Attempt{Attempt: i, Tier: []string{"local", "subagent", "managed", "other"}[i%4]})
	}
	add(e)
	e = base("deep-input-3000")
	e.Input = json.RawMessage(deep("[", "]", 3000))
	add(e)
	e = base("deep-input-9999")
	// 9,999 levels of input: 10,000 with the entry, Go's limit.
	e.Input = json.RawMessage(strings.Repeat(`{"a":`, 9998) + "1" + strings.Repeat("}", 9998))
	add(e)
	raw(`{"session_id":"deep-input-10000","input":` + deep("[", "]", 10000) + `}`)
	// Line lengths around the scanner's limit (without the newline).
	lines = append(lines, sized(base("line-1MiB-minus-1"), 1<<20-1))
	lines = append(lines, sized(base("line-1MiB"), 1<<20))
	lines = append(lines, sized(base("line-3MiB"), 3<<20))
	lines = append(lines, append(sized(base("crlf-1MiB-minus-2"), 1<<20-2), '\r'))
	lines = append(lines, append(sized(base("crlf-1MiB-minus-1"), 1<<20-1), '\r'))
	raw("")
	raw("   ")
	raw("\r")

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, l := range lines {
		w.Write(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func main() {
	var err error
	switch {
	case len(os.Args) == 3 && os.Args[1] == "gen":
		err = gen(os.Args[2])
	case len(os.Args) >= 3 && os.Args[1] == "read":
		for _, p := range os.Args[2:] {
			if err = read(p); err != nil {
				break
			}
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: fidelity gen FILE | fidelity read FILE...")
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fidelity:", err)
		os.Exit(1)
	}
}
