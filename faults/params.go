package faults

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/natschaos/natschaos/internal/suggest"
)

// This file declares what a fault kind's parameters are, checks typed
// values against the declaration and fills the defaults.

// ParamType is the type of a parameter's value, and the Go type it
// travels as in Values.
type ParamType string

const (
	TypeDuration ParamType = "duration"  // time.Duration
	TypeByteSize ParamType = "byte_size" // int64, bytes
	TypeByteRate ParamType = "byte_rate" // int64, bytes per second
	TypeFloat    ParamType = "float"     // float64
	TypeInt      ParamType = "int"       // int64
	TypeBool     ParamType = "bool"      // bool
	TypeString   ParamType = "string"    // string
)

// ParamTypes lists every parameter type.
var ParamTypes = []ParamType{TypeDuration, TypeByteSize, TypeByteRate, TypeFloat, TypeInt, TypeBool, TypeString}

// Param declares one parameter of a fault kind.
type Param struct {
	Name     string
	Type     ParamType
	Required bool
	// Default is the value when the parameter is absent (nil: the type's
	// zero), of the type's Go type.
	Default any
	// Rule, when set, checks a value of the type: it returns what is wrong
	// ("must be positive, got 0s"), to follow the parameter's name.
	Rule func(v any) error
	Doc  string // one line, for the schema
}

// Values are a fault's parameters, each of its type's Go type.
type Values map[string]any

// Duration, Bytes, Rate, Float, Int, Bool and String read a value of
// their type; an absent or mistyped one reads as zero (Inject fills
// defaults and checks types before a kind reads them).
func (v Values) Duration(key string) time.Duration { d, _ := v[key].(time.Duration); return d }
func (v Values) Bytes(key string) int64            { n, _ := v[key].(int64); return n }
func (v Values) Rate(key string) int64             { n, _ := v[key].(int64); return n }
func (v Values) Float(key string) float64          { f, _ := v[key].(float64); return f }
func (v Values) Int(key string) int64              { n, _ := v[key].(int64); return n }
func (v Values) Bool(key string) bool              { b, _ := v[key].(bool); return b }
func (v Values) String(key string) string          { s, _ := v[key].(string); return s }

// ParamError is a problem with one parameter, so a scenario's reader can
// point at its value.
type ParamError struct {
	Param string
	Msg   string // follows the name: "must be positive, got 0s"
}

func (e *ParamError) Error() string { return e.Param + " " + e.Msg }

// ParamErrorf is a ParamError for key.
func ParamErrorf(key, format string, args ...any) error {
	return &ParamError{Param: key, Msg: fmt.Sprintf(format, args...)}
}

// zero is the Go value of a type when nothing says otherwise.
func (t ParamType) zero() any {
	switch t {
	case TypeDuration:
		return time.Duration(0)
	case TypeByteSize, TypeByteRate, TypeInt:
		return int64(0)
	case TypeFloat:
		return float64(0)
	case TypeBool:
		return false
	}
	return ""
}

// holds says whether v is of the type's Go type.
func (t ParamType) holds(v any) bool {
	switch v.(type) {
	case time.Duration:
		return t == TypeDuration
	case int64:
		return t == TypeByteSize || t == TypeByteRate || t == TypeInt
	case float64:
		return t == TypeFloat
	case bool:
		return t == TypeBool
	case string:
		return t == TypeString
	}
	return false
}

// Format writes a value the way a scenario file does.
func (t ParamType) Format(v any) string {
	switch x := v.(type) {
	case time.Duration:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		if t == TypeByteRate && x%1024 == 0 {
			return strconv.FormatInt(x/1024, 10) + "KB/s"
		}
		if t == TypeByteRate {
			return strconv.FormatInt(x, 10) + "B/s"
		}
	}
	return fmt.Sprint(v)
}

// CheckParams checks a kind's parameters against its declaration: no
// unknown key, each of its type, the required ones given, each rule and
// the kind's Check. It returns every problem, those about one parameter
// as *ParamError.
func CheckParams(kind string, v Values) []error {
	k, ok := LookupKind(kind)
	if !ok {
		return []error{fmt.Errorf("unknown fault kind %q", kind)}
	}
	_, errs := k.resolve(v)
	return errs
}

// resolve checks v and returns it with the defaults filled.
func (k Kind) resolve(v Values) (Values, []error) {
	var errs []error
	keys := make([]string, 0, len(v))
	for key := range v {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if _, ok := k.Param(key); !ok {
			hint := ""
			if near := suggest.Nearest(key, k.ParamNames()); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
			}
			errs = append(errs, fmt.Errorf("kind %s takes no parameter %q%s; it takes %s", k.Name, key, hint, k.takes()))
		}
	}
	out := Values{}
	for _, p := range k.Params {
		val, given := v[p.Name]
		if x, ok := val.(int); ok && given {
			val = int64(x) // a Go caller's untyped constant
		}
		switch {
		case !given && p.Required:
			errs = append(errs, ParamErrorf(p.Name, "is required"))
			continue
		case !given && p.Default != nil:
			val = p.Default
		case !given:
			val = p.Type.zero()
		case !p.Type.holds(val):
			errs = append(errs, ParamErrorf(p.Name, "must be a %s, got %T", p.Type, val))
			continue
		}
		if given && p.Rule != nil {
			if err := p.Rule(val); err != nil {
				errs = append(errs, &ParamError{Param: p.Name, Msg: err.Error()})
				continue
			}
		}
		out[p.Name] = val
	}
	if len(errs) == 0 && k.Check != nil {
		if err := k.Check(out); err != nil {
			errs = append(errs, err)
		}
	}
	return out, errs
}

// takes lists the kind's parameters for messages.
func (k Kind) takes() string {
	if len(k.Params) == 0 {
		return "none"
	}
	return strings.Join(k.ParamNames(), ", ")
}

// Rules shared by the kinds.

// positive: above zero.
func positive(v any) error {
	if sign(v) <= 0 {
		return fmt.Errorf("must be positive, got %v", v)
	}
	return nil
}

// nonNegative: zero or above.
func nonNegative(v any) error {
	if sign(v) < 0 {
		return fmt.Errorf("must not be negative, got %v", v)
	}
	return nil
}

func sign(v any) int {
	var f float64
	switch x := v.(type) {
	case time.Duration:
		f = float64(x)
	case int64:
		f = float64(x)
	case float64:
		f = x
	}
	switch {
	case f > 0:
		return 1
	case f < 0:
		return -1
	}
	return 0
}

// errParams joins a kind's parameter problems into one error.
func errParams(k Kind, errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("faults: %s: %w", k.Name, errors.Join(errs...))
}

// millis converts to toxiproxy's unit, rounding up so 500µs is not 0.
func millis(d time.Duration) int64 {
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}
