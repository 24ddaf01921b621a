package agentapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// MaxLineSize bounds one line on the wire; a diff larger than this must be
// truncated by the agent.
const MaxLineSize = 16 << 20

// Encoder writes lines, one JSON object per line. It is safe for concurrent
// use; each line is written with a single Write call.
type Encoder struct {
	mu sync.Mutex
	w  io.Writer
}

// NewEncoder returns an Encoder writing to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

// Encode writes l, setting its Type member from l.LineType().
func (e *Encoder) Encode(l Line) error {
	data, err := MarshalLine(l)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, err = e.w.Write(data)
	return err
}

// MarshalLine returns l as one JSON line, '\n' included, with its Type
// member set from l.LineType().
func MarshalLine(l Line) ([]byte, error) {
	switch v := l.(type) {
	case *FactsLine:
		v.Type = TypeFacts
	case *Result:
		v.Type = TypeResult
	case *Handler:
		v.Type = TypeHandler
	case *Done:
		v.Type = TypeDone
	default:
		return nil, fmt.Errorf("agentapi: cannot encode line of type %T", l)
	}
	data, err := json.Marshal(l)
	if err != nil {
		return nil, fmt.Errorf("agentapi: encoding %s line: %w", l.LineType(), err)
	}
	return append(data, '\n'), nil
}

// Decoder reads lines written by an Encoder.
type Decoder struct {
	r *bufio.Reader
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder { return &Decoder{r: bufio.NewReaderSize(r, 64<<10)} }

// Decode returns the next line. Blank lines are skipped. At the end of the
// input it returns io.EOF; input that ends in the middle of a line gives
// io.ErrUnexpectedEOF.
func (d *Decoder) Decode() (Line, error) {
	for {
		data, err := d.readLine()
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(data)) == 0 {
			continue
		}
		return ParseLine(data)
	}
}

func (d *Decoder) readLine() ([]byte, error) {
	var line []byte
	for {
		chunk, err := d.r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxLineSize {
			return nil, fmt.Errorf("agentapi: line longer than %d MiB", MaxLineSize>>20)
		}
		switch {
		case err == nil:
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(bytes.TrimSpace(line)) == 0 {
				return nil, io.EOF
			}
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

// ParseLine decodes one line (with or without its '\n'). Unknown members
// are ignored, so a newer agent may add fields; an unknown or missing type
// is an error.
func ParseLine(data []byte) (Line, error) {
	var head struct {
		Type LineType `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("agentapi: invalid line %s: %w", quoteShort(data), err)
	}
	var l Line
	switch head.Type {
	case TypeFacts:
		l = &FactsLine{}
	case TypeResult:
		l = &Result{}
	case TypeHandler:
		l = &Handler{}
	case TypeDone:
		l = &Done{}
	case "":
		return nil, fmt.Errorf("agentapi: line has no type: %s", quoteShort(data))
	default:
		return nil, fmt.Errorf("agentapi: unknown line type %q", head.Type)
	}
	if err := json.Unmarshal(data, l); err != nil {
		return nil, fmt.Errorf("agentapi: invalid %s line: %w", head.Type, err)
	}
	return l, nil
}

// quoteShort quotes the start of data for an error message.
func quoteShort(data []byte) string {
	const max = 80
	if len(data) > max {
		return fmt.Sprintf("%q…", data[:max])
	}
	return fmt.Sprintf("%q", data)
}
