// Package suggest finds the word a typo most likely meant, for
// did-you-mean hints in every error that names an unknown word.
//
// It imports nothing of natschaos.
package suggest
