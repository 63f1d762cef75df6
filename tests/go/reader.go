// Command reader reads a session log the way hyperguild's own reader does
// (encoding/json, one Entry per line, lines up to 1 MB) and checks the
// annotations hgtop wrote in it.
//
//	reader FILE [TEXTDIR]
//
// Every line must unmarshal into Entry. Each "hgtop.annotate" entry must
// have its fields in the documented order and point at an earlier line
// with the same timestamp (as written) and skill. With TEXTDIR, the k-th
// annotation's message must equal the file TEXTDIR/k (invalid UTF-8 read as
// U+FFFD per byte, as encoding/json does). Prints "entries=N annotations=M".
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"unicode/utf8"

	// The copy of hyperguild's Entry and Attempt that the fidelity test
	// builds with (tests/fidelity/go/session), copied beside this file.
	"hgtop.test/reader/session"
)

type annotationInput struct {
	TargetLine      int    `json:"target_line"`
	TargetTimestamp string `json:"target_timestamp"`
	TargetSkill     string `json:"target_skill"`
	TargetAttempt   int    `json:"target_attempt,omitempty"`
	Author          string `json:"author"`
}

type line struct {
	entry session.Entry
	rawTS string
}

func keys(raw []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		out = append(out, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func join(k []string) string {
	b, _ := json.Marshal(k)
	return string(b)
}

// asGo is s as encoding/json decodes it: one U+FFFD per invalid byte.
func asGo(s string) string {
	var b []rune
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b = append(b, r)
		i += n
	}
	return string(b)
}

func checkAnnotation(lines []line, no int, raw []byte, e session.Entry, textDir string, k int) error {
	ks, err := keys(raw)
	if err != nil {
		return err
	}
	if got, want := join(ks), `["session_id","timestamp","skill","input","final_status","message"]`; got != want {
		return fmt.Errorf("fields %s, want %s", got, want)
	}
	var in annotationInput
	ks, err = keys(e.Input)
	if err != nil {
		return err
	}
	want := `["target_line","target_timestamp","target_skill","author"]`
	if len(ks) == 5 {
		want = `["target_line","target_timestamp","target_skill","target_attempt","author"]`
	}
	if got := join(ks); got != want {
		return fmt.Errorf("input fields %s, want %s", got, want)
	}
	dec := json.NewDecoder(bytes.NewReader(e.Input))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return err
	}
	if e.FinalStatus != "annotation" {
		return fmt.Errorf("final_status %q", e.FinalStatus)
	}
	if in.TargetLine < 1 || in.TargetLine >= no || lines[in.TargetLine-1].entry.Skill == "" {
		return fmt.Errorf("target_line %d is not an earlier entry", in.TargetLine)
	}
	t := lines[in.TargetLine-1]
	if in.TargetTimestamp != t.rawTS || in.TargetSkill != t.entry.Skill {
		return fmt.Errorf("target %q %q, line %d has %q %q", in.TargetTimestamp,
			in.TargetSkill, in.TargetLine, t.rawTS, t.entry.Skill)
	}
	if in.TargetAttempt != 0 {
		found := false
		for _, a := range t.entry.Attempts {
			found = found || a.Attempt == in.TargetAttempt
		}
		if !found {
			return fmt.Errorf("target_attempt %d not in line %d", in.TargetAttempt, in.TargetLine)
		}
	}
	if textDir == "" {
		return nil
	}
	want2, err := os.ReadFile(filepath.Join(textDir, strconv.Itoa(k)))
	if err != nil {
		return err
	}
	if e.Message != asGo(string(want2)) {
		return fmt.Errorf("message %.200q, want %.200q", e.Message, asGo(string(want2)))
	}
	return nil
}

func run(path, textDir string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() //nolint:errcheck
	var lines []line
	notes := 0
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 0, 256*1024), 1<<20) // as hyperguild: up to 1 MB per line
	for no := 1; scanner.Scan(); no++ {
		raw := scanner.Bytes()
		if len(raw) == 0 {
			lines = append(lines, line{})
			continue
		}
		var e session.Entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return fmt.Errorf("line %d: parse entry: %w", no, err)
		}
		var ts struct {
			Timestamp string `json:"timestamp"`
		}
		if err := json.Unmarshal(raw, &ts); err != nil {
			return fmt.Errorf("line %d: %w", no, err)
		}
		lines = append(lines, line{e, ts.Timestamp})
		if e.Skill != "hgtop.annotate" {
			continue
		}
		notes++
		if err := checkAnnotation(lines, no, raw, e, textDir, notes); err != nil {
			return fmt.Errorf("line %d: annotation: %w", no, err)
		}
	}
	if err := scanner.Err(); err != nil {
		return err
	}
	fmt.Printf("entries=%d annotations=%d\n", len(lines), notes)
	return nil
}

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: reader FILE [TEXTDIR]")
		os.Exit(2)
	}
	textDir := ""
	if len(os.Args) == 3 {
		textDir = os.Args[2]
	}
	if err := run(os.Args[1], textDir); err != nil {
		fmt.Fprintf(os.Stderr, "reader: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
