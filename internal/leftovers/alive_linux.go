package leftovers

import (
	"os"
	"strconv"
	"strings"
)

// startTime is the process's start time in clock ticks since boot (field
// 22 of /proc/PID/stat), "" if it cannot be read.
func startTime(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(string(b)[i+1:])
	if len(fields) < 20 {
		return ""
	}
	return fields[19] // field 22 overall: state is field 3, fields[0] here
}

// alive says whether process pid, started at start, still runs.
func alive(pid int, start string) bool {
	now := startTime(pid)
	if now == "" {
		return false // no such process
	}
	return start == "" || now == start
}
