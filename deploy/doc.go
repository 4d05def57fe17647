// Package deploy holds the Kubernetes recipe of docs/KUBERNETES.md (Helm
// values for the official NATS chart, toxiproxy, the natschaos Jobs, the
// image) and, in its test, the rules a default install of the chart
// breaks when they are not kept. It has no code: the chart cannot be run
// here, so the test renders what the chart's documented templates render
// from these files and checks that.
package deploy
