package local

import (
	"crypto/rand"
	"encoding/hex"
)

// randomHex returns 2n hex digits from crypto/rand.
func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
