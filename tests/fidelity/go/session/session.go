// Package session holds a copy of the Entry and Attempt structs of
// hyperguild's internal/session/session.go, so that encoding/json decodes
// (and names in its errors) exactly what hyperguild's reader does.
package session

import (
	"encoding/json"
	"time"
)

// Entry is one skill invocation record, appended to the session JSONL log.
type Entry struct {
	SessionID   string          `json:"session_id"`
	Timestamp   time.Time       `json:"timestamp"`
	Skill       string          `json:"skill"`
	Phase       string          `json:"phase,omitempty"`
	ProjectRoot string          `json:"project_root,omitempty"`
	Input       json.RawMessage `json:"input,omitempty"`
	Attempts    []Attempt       `json:"attempts,omitempty"`
	FinalStatus string          `json:"final_status"`
	FilePath    string          `json:"file_path,omitempty"`
	ModelUsed   string          `json:"model_used,omitempty"`
	DurationMs  int64           `json:"duration_ms,omitempty"`
	Message     string          `json:"message,omitempty"`
}

// Attempt represents one subprocess invocation within a skill call.
type Attempt struct {
	Attempt       int    `json:"attempt"`
	Model         string `json:"model"`
	Tier          string `json:"tier"` // local | subagent | managed
	DurationMs    int64  `json:"duration_ms"`
	WarmStart     bool   `json:"warm_start"` // model already loaded in llama-swap
	Verified      bool   `json:"verified"`
	Verdict       string `json:"verdict,omitempty"`  // accept | escalate | error
	Feedback      string `json:"feedback,omitempty"` // verifier feedback on escalation
	OutputSummary string `json:"output_summary,omitempty"`
	RunnerOutput  string `json:"runner_output,omitempty"`
}
