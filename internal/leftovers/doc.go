// Package leftovers lets a later run clean up after a run killed with
// kill -9. A run's temp folders (process servers' configurations, a
// secured run's keys and seeds, JetStream stores) are made with MkdirTemp,
// which records the owning process in each; Sweep removes the folders
// whose owner is gone. It imports nothing of natschaos.
package leftovers
