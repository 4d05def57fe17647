package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Durations are plain time.Duration fields, written in Go syntax ("150ms",
// "2s", "1m"); the decoder parses them with parseDuration.

// ByteSize is a number of bytes, written as an integer (128) or with a
// binary unit: 1KB = 1KiB = 1024 bytes, MB and GB likewise ("8MB", "1.5MB").
// Some options accept -1 (see their documentation).
type ByteSize int64

// Rate is a number of events per second, written "N/s" ("500/s", "0.5/s").
type Rate float64

// ByteRate is a number of bytes per second, written "<size>/s" ("64KB/s").
type ByteRate int64

func (b ByteSize) String() string { return formatBytes(int64(b)) }

func (r Rate) String() string {
	return strconv.FormatFloat(float64(r), 'f', -1, 64) + "/s"
}

// Interval is the time between two events at this rate (zero for a rate that
// is not positive).
func (r Rate) Interval() time.Duration {
	if r <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / float64(r))
}

func (r ByteRate) String() string { return formatBytes(int64(r)) + "/s" }

// MarshalText writes the size back in the file's syntax.
func (b ByteSize) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// MarshalText writes the rate back in the file's syntax.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// MarshalText writes the rate back in the file's syntax.
func (r ByteRate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText parses "8MB", "128", ...
func (b *ByteSize) UnmarshalText(p []byte) error {
	v, err := ParseByteSize(string(p))
	*b = v
	return err
}

// UnmarshalText parses "500/s".
func (r *Rate) UnmarshalText(p []byte) error {
	v, err := ParseRate(string(p))
	*r = v
	return err
}

// UnmarshalText parses "64KB/s".
func (r *ByteRate) UnmarshalText(p []byte) error {
	v, err := ParseByteRate(string(p))
	*r = v
	return err
}

var byteUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
}

// The syntax of sizes and rates, shared with the JSON Schema so that editors
// and Parse accept the same text.
const (
	sizePattern = `-?[0-9]+(\.[0-9]+)? ?([kKmMgG]([iI]?[bB])?|[bB])?`
	ratePattern = `[0-9]+(\.[0-9]+)?/s`
)

var (
	sizeRE     = regexp.MustCompile("^" + sizePattern + "$")
	rateRE     = regexp.MustCompile("^" + ratePattern + "$")
	byteRateRE = regexp.MustCompile("^" + sizePattern + "/s$")
)

// ParseByteSize parses a size: an integer number of bytes, or a number and
// a unit (B, KB, MB, GB; KiB, MiB, GiB are the same; case does not matter):
// 128, 64KB, 1.5MB.
func ParseByteSize(s string) (ByteSize, error) {
	if !sizeRE.MatchString(s) {
		i := len(s)
		for i > 0 && (s[i-1] >= 'a' && s[i-1] <= 'z' || s[i-1] >= 'A' && s[i-1] <= 'Z') {
			i--
		}
		if _, known := byteUnits[strings.ToLower(s[i:])]; !known && i > 0 && sizeRE.MatchString(strings.TrimSpace(s[:i])) {
			return 0, fmt.Errorf("invalid size %q: unknown unit %q (use B, KB, MB or GB)", s, s[i:])
		}
		return 0, fmt.Errorf("invalid size %q: want a number with an optional unit, like 128 or 8MB", s)
	}
	i := len(s)
	for i > 0 && (s[i-1] >= 'a' && s[i-1] <= 'z' || s[i-1] >= 'A' && s[i-1] <= 'Z') {
		i--
	}
	num, mult := strings.TrimSpace(s[:i]), byteUnits[strings.ToLower(s[i:])]
	if n, err := strconv.ParseInt(num, 10, 64); err == nil {
		if n > math.MaxInt64/mult || n < math.MinInt64/mult {
			return 0, fmt.Errorf("size %q is too large", s)
		}
		return ByteSize(n * mult), nil
	}
	f, err := strconv.ParseFloat(num, 64)
	v := math.Round(f * float64(mult))
	if err != nil || math.Abs(v) >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return ByteSize(v), nil
}

// ParseRate parses "N/s" into events per second.
func ParseRate(s string) (Rate, error) {
	if !rateRE.MatchString(s) {
		return 0, fmt.Errorf("invalid rate %q: write it as N/s, like 500/s", s)
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "/s"), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fmt.Errorf("rate %q is too large", s)
	}
	return Rate(f), nil
}

// ParseByteRate parses "<size>/s" into bytes per second.
func ParseByteRate(s string) (ByteRate, error) {
	if !byteRateRE.MatchString(s) {
		return 0, fmt.Errorf("invalid byte rate %q: write it as <size>/s, like 64KB/s", s)
	}
	b, err := ParseByteSize(strings.TrimSuffix(s, "/s"))
	return ByteRate(b), err
}

// parseDuration is time.ParseDuration with a hint for the usual mistake.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err == nil {
		return d, nil
	}
	if _, nerr := strconv.ParseFloat(strings.TrimSpace(s), 64); nerr == nil {
		return 0, fmt.Errorf("duration %q has no unit; write it like %ss or %sms", s, s, s)
	}
	return 0, fmt.Errorf("invalid duration %q: use Go syntax, like 150ms, 2s or 1m30s", s)
}

func formatBytes(n int64) string {
	switch {
	case n != 0 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + "GB"
	case n != 0 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MB"
	case n != 0 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KB"
	default:
		return strconv.FormatInt(n, 10)
	}
}
