// Package testwait is how the tests wait: poll a condition until a
// deadline, never sleep a fixed time and hope.
//
// It imports nothing of natschaos.
package testwait
