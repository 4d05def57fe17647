// Package ports picks loopback ports for endpoints that must come back on
// the same port after being shut, and reserves them against other
// natschaos processes until they are released.
//
// It imports nothing of natschaos.
package ports
